import * as net from 'node:net';
import type { UpstreamAddress } from '../upstream-pool';

/** What an upstream connection reports to the request using it. */
export interface LinkOwner {
  onUpstreamConnect(): void;
  /**
   * Bytes from the service, in a buffer every upstream connection reads into: valid during this call only
   * (what is kept or written on must be copied).
   */
  onUpstreamData(chunk: Buffer): void;
  onUpstreamGone(error: NodeJS.ErrnoException | undefined): void;
  onUpstreamDrain(): void;
}

/** An idle connection is dropped this long before the service's announced keep-alive timeout. */
const KEEP_ALIVE_MARGIN_MS = 1000;
/** Without a `Keep-Alive: timeout=` from the service: Node's default keep-alive timeout is 5 s. */
const DEFAULT_IDLE_MS = 4000;
/**
 * The one buffer all upstream connections read into (`onread`: no buffer allocated per read and no stream
 * machinery per chunk); each chunk is handled before the next read, on this thread.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * One kept-alive TCP connection to a service address. Its listeners are set once and pass events to the
 * request that owns it (one at a time); while idle, any event ends it.
 */
export class UpstreamLink implements LinkOwner {
  owner: LinkOwner = this;
  connected = false;
  /** Taken from the idle list (a request on it may meet a connection the service just closed). */
  reused = false;
  /** When the connect started (ms): the connect timeout counts from it. */
  readonly openedAt = Date.now();
  idleUntil = 0;
  readonly socket: net.Socket;

  constructor(
    readonly address: UpstreamAddress,
    private readonly links: UpstreamLinks,
  ) {
    const socket = net.connect({
      port: address.port,
      host: address.host,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number) => {
          this.owner.onUpstreamData(READ_BUFFER.subarray(0, bytes));
          return true;
        },
      },
    });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.owner.onUpstreamConnect();
    });
    socket.on('drain', () => this.owner.onUpstreamDrain());
    let gone = false;
    const end = (error?: NodeJS.ErrnoException) => {
      if (!gone) {
        gone = true;
        this.links.forget(this);
        this.owner.onUpstreamGone(error);
      }
    };
    socket.on('error', end);
    socket.on('close', () => end());
    socket.on('end', () => socket.destroy());
  }

  onUpstreamConnect(): void {}

  onUpstreamData(): void {
    this.socket.destroy(); // an idle connection has nothing to say
  }

  onUpstreamGone(): void {}

  onUpstreamDrain(): void {}

  destroy(): void {
    this.owner = this;
    this.socket.destroy();
  }
}

/** The gateway's idle connections to the services, per address, most recently used first. */
export class UpstreamLinks {
  private readonly idle = new Map<UpstreamAddress, UpstreamLink[]>();
  private closing = false;

  /** An idle connection to `address` that should still be open, or a new one (not yet connected). */
  take(address: UpstreamAddress, owner: LinkOwner, fresh: boolean): UpstreamLink {
    const list = fresh ? undefined : this.idle.get(address);
    const now = Date.now();
    while (list && list.length > 0) {
      const link = list.pop() as UpstreamLink;
      if (link.idleUntil > now && !link.socket.destroyed) {
        link.reused = true;
        link.owner = owner;
        return link;
      }
      link.destroy();
    }
    const link = new UpstreamLink(address, this);
    link.owner = owner;
    return link;
  }

  /** Puts a connection whose last response ended cleanly back for reuse (`keepAliveSeconds` from the service). */
  release(link: UpstreamLink, keepAliveSeconds: number): void {
    const idleMs = keepAliveSeconds >= 0 ? keepAliveSeconds * 1000 - KEEP_ALIVE_MARGIN_MS : DEFAULT_IDLE_MS;
    if (this.closing || idleMs <= 0 || link.socket.destroyed) {
      link.destroy();
      return;
    }
    link.owner = link;
    link.idleUntil = Date.now() + idleMs;
    // The last response may have paused it (a client slower than the service): idle, it reads again.
    link.socket.resume();
    let list = this.idle.get(link.address);
    if (!list) {
      list = [];
      this.idle.set(link.address, list);
    }
    list.push(link);
  }

  /** Drops a closed connection from the idle lists. */
  forget(link: UpstreamLink): void {
    const list = this.idle.get(link.address);
    const index = list ? list.indexOf(link) : -1;
    if (list && index !== -1) {
      list.splice(index, 1);
    }
  }

  /** Closes the idle connections past their time (run by the gateway's periodic sweep). */
  sweep(now: number): void {
    for (const list of this.idle.values()) {
      for (const link of list.filter((l) => l.idleUntil <= now)) {
        link.destroy();
      }
    }
  }

  closeAll(): void {
    this.closing = true;
    for (const list of this.idle.values()) {
      for (const link of [...list]) {
        link.destroy();
      }
    }
    this.idle.clear();
  }
}
