import type { RequestAuth } from '@lib/core';
import type { Topic } from './topic';

/** How a client's messages leave the process: an SSE stream or a WebSocket. */
export interface ClientTransport {
  /** Queues one message; false when the client's unsent buffer passed its bound (it is then closed). */
  send(event: string, data: unknown, topic?: string): boolean;
  close(): void;
}

/** One connected realtime client: its auth, its subscriptions and its transport. */
export class RealtimeClient {
  auth: RequestAuth | null = null;
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

  send(event: string, data: unknown, topic?: string): boolean {
    return this.transport.send(event, data, topic);
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
