import { lookup } from 'node:dns/promises';
import * as http from 'node:http';
import { isIP } from 'node:net';

/** One address of a service: an IP (or host) and port, with what the last probe or request said. */
export interface UpstreamAddress {
  readonly host: string;
  readonly port: number;
  /** False after a failed probe or a refused connection, true again after a passing probe. */
  healthy: boolean;
}

export interface UpstreamPoolOptions {
  /** Path asked on every address each interval; 200 means ready. */
  probePath: string;
  probeTimeoutMs: number;
}

const DEFAULTS: UpstreamPoolOptions = { probePath: '/readyz', probeTimeoutMs: 1500 };

/**
 * The addresses of one service. Each base URL's host is resolved to all its addresses (a compose
 * service with replicas, a headless Kubernetes service), so replicas join and leave as DNS changes.
 * `pick` rotates over the healthy addresses; an address that refuses a connection or fails its
 * readiness probe is ejected until a probe passes again.
 */
export class UpstreamPool {
  private addresses: UpstreamAddress[] = [];
  private next = 0;
  /** Ejections per address: a probe that was under way when its address was ejected doesn't bring it back. */
  private readonly ejections = new Map<UpstreamAddress, number>();
  private readonly options: UpstreamPoolOptions;

  constructor(
    readonly service: string,
    private readonly baseUrls: readonly string[],
    options: Partial<UpstreamPoolOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get configured(): boolean {
    return this.baseUrls.length > 0;
  }

  /** A snapshot of the addresses and their state (readiness details, logs). */
  list(): readonly UpstreamAddress[] {
    return this.addresses;
  }

  /** True when at least one address passed its last probe. */
  ready(): boolean {
    return this.addresses.some((address) => address.healthy);
  }

  /** The next healthy address not in `exclude`; if none is healthy, the next one not excluded at all. */
  pick(exclude?: ReadonlySet<UpstreamAddress> | readonly UpstreamAddress[]): UpstreamAddress | undefined {
    this.next = (this.next + 1) % 1_000_000;
    if (exclude === undefined || ('size' in exclude ? exclude.size : exclude.length) === 0) {
      // The hot path: no allocation when every address is healthy.
      const all = this.addresses;
      const healthy = all.every((address) => address.healthy) ? all : all.filter((address) => address.healthy);
      const from = healthy.length > 0 ? healthy : all;
      return from.length === 0 ? undefined : from[this.next % from.length];
    }
    const excluded = (address: UpstreamAddress) =>
      'has' in exclude ? exclude.has(address) : exclude.includes(address);
    const candidates = this.addresses.filter((address) => !excluded(address));
    const healthy = candidates.filter((address) => address.healthy);
    const from = healthy.length > 0 ? healthy : candidates;
    return from.length === 0 ? undefined : from[this.next % from.length];
  }

  /** Takes an address out of rotation until a probe started after this passes. */
  eject(address: UpstreamAddress): void {
    address.healthy = false;
    this.ejections.set(address, (this.ejections.get(address) ?? 0) + 1);
  }

  /** Resolves the base URLs again and probes every address (one round; the gateway runs it on a timer). */
  async refresh(): Promise<void> {
    const known = new Map(this.addresses.map((a) => [`${a.host}|${a.port}`, a]));
    const resolved: UpstreamAddress[] = [];
    for (const base of this.baseUrls) {
      const url = new URL(base);
      const port = Number(url.port || 80);
      for (const host of await resolve(url.hostname)) {
        const key = `${host}|${port}`;
        if (!resolved.some((a) => `${a.host}|${a.port}` === key)) {
          // A new address starts healthy: it is used at once and ejected on its first refusal.
          resolved.push(known.get(key) ?? { host, port, healthy: true });
        }
      }
    }
    // A name that doesn't resolve for a moment (DNS hiccup) keeps the addresses it had.
    this.addresses = resolved.length > 0 ? resolved : this.addresses;
    for (const address of this.ejections.keys()) {
      if (!this.addresses.includes(address)) {
        this.ejections.delete(address);
      }
    }
    await Promise.all(
      this.addresses.map(async (address) => {
        const ejections = this.ejections.get(address);
        const healthy = await this.probe(address);
        // an answer the address gave before it was ejected (a replica killed since) is no news
        if (!healthy || this.ejections.get(address) === ejections) {
          address.healthy = healthy;
        }
      }),
    );
  }

  private probe(address: UpstreamAddress): Promise<boolean> {
    return new Promise((resolvePromise) => {
      const request = http.get(
        { host: address.host, port: address.port, path: this.options.probePath, timeout: this.options.probeTimeoutMs },
        (response) => {
          response.resume();
          resolvePromise(response.statusCode === 200);
        },
      );
      request.on('timeout', () => request.destroy(new Error('probe timeout')));
      request.on('error', () => resolvePromise(false));
    });
  }
}

/** Every address of `hostname` (IP literals as they are); none when it doesn't resolve right now. */
async function resolve(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    return [bare];
  }
  try {
    const found = await lookup(bare, { all: true });
    return found.map((entry) => entry.address);
  } catch {
    return [];
  }
}
