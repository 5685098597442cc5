import type { RequestAuth } from '@lib/core';
import type { Topic } from './topic';

/** How a client's messages leave the process: an SSE stream or a WebSocket. */
export interface ClientTransport {
  /** Queues one message; false when the client's unsent buffer passed its bound (it is then closed). */
  send(event: string, data: unknown, topic?: string): boolean;
  /**
   * Queues one record message already serialized for this kind of client (`kind`): the data JSON for SSE, the
   * whole `{action, record, topic}` frame for WebSocket.
   */
  sendSerialized(event: string, message: Buffer | string): boolean;
  close(): void;
}

/** The `exp` claim of a (verified) token in ms since the epoch; Infinity when it has none. */
export function tokenExpiry(token: string | undefined): number {
  const payload = token?.split('.')[1];
  if (!payload) {
    return Infinity;
  }
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : Infinity;
  } catch {
    return Infinity;
  }
}

/** One connected realtime client: its auth, its subscriptions and its transport. */
export class RealtimeClient {
  /** The bound auth; update it only through `bindAuth` (or keep its token when refreshing the record). */
  auth: RequestAuth | null = null;
  /** When the bound token expires (ms since the epoch). */
  authExpiresAt = Infinity;
  /** The auth collection's `authToken.secret` when the auth was bound: a change drops the auth. */
  authSecret = '';
  readonly subscriptions = new Map<string, Topic>();
  /** WebSocket clients start subscribed to every collection until they name topics. */
  allCollections: boolean;

  constructor(
    readonly id: string,
    readonly kind: 'sse' | 'ws',
    readonly ip: string,
    private readonly transport: ClientTransport,
  ) {
    this.allCollections = kind === 'ws';
  }

  /** Binds an auth (or a guest) with its token's expiry and the collection's secret at that moment. */
  bindAuth(auth: RequestAuth | null, secret = ''): void {
    this.auth = auth;
    this.authSecret = auth ? secret : '';
    this.authExpiresAt = auth ? tokenExpiry(auth.token) : Infinity;
  }

  send(event: string, data: unknown, topic?: string): boolean {
    return this.transport.send(event, data, topic);
  }

  sendSerialized(event: string, message: Buffer | string): boolean {
    return this.transport.sendSerialized(event, message);
  }

  close(): void {
    this.transport.close();
  }

  /** The subscriptions that match a record of the collection (by id or name). */
  matching(collectionId: string, collectionName: string, recordId: string): Topic[] {
    const out: Topic[] = [];
    const name = collectionName.toLowerCase();
    for (const topic of this.subscriptions.values()) {
      if (topic.collection !== collectionId && topic.collection.toLowerCase() !== name) {
        continue;
      }
      if (topic.recordId === null || topic.recordId === recordId) {
        out.push(topic);
      }
    }
    return out;
  }
}
