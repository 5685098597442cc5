import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock, NB_METRICS, type RequestAuth } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import type { RealtimeClient } from './realtime-client';
import { RealtimeCollections, authSecretOf } from './realtime-collections';

/** The clients connected to this instance, by id, and the live state of their auth. */
@Injectable()
export class RealtimeClients implements OnModuleInit, OnModuleDestroy {
  private readonly clients = new Map<string, RealtimeClient>();
  private readonly unmeasure: (() => void)[] = [];

  constructor(
    private readonly collections: RealtimeCollections,
    private readonly clock: Clock,
  ) {}

  /** The connection and subscription gauges read this instance's clients at each scrape. */
  onModuleInit(): void {
    this.unmeasure.push(
      NB_METRICS.realtimeConnections.addSource(() => {
        const counts = { sse: 0, ws: 0 };
        for (const client of this.clients.values()) {
          counts[client.kind]++;
        }
        return Object.entries(counts).map(([kind, n]) => [[kind], n] as [string[], number]);
      }),
      NB_METRICS.realtimeSubscriptions.addSource(() => {
        let n = 0;
        for (const client of this.clients.values()) {
          n += client.subscriptions.size;
        }
        return n;
      }),
    );
  }

  onModuleDestroy(): void {
    this.unmeasure.forEach((off) => off());
  }

  add(client: RealtimeClient): void {
    this.clients.set(client.id, client);
  }

  remove(client: RealtimeClient): void {
    if (this.clients.get(client.id) === client) {
      this.clients.delete(client.id);
    }
  }

  /** The time token expiry is judged by (the injected clock). */
  now(): number {
    return this.clock.now();
  }

  get(id: string): RealtimeClient | undefined {
    return this.clients.get(id);
  }

  all(): IterableIterator<RealtimeClient> {
    return this.clients.values();
  }

  get size(): number {
    return this.clients.size;
  }

  closeAll(): void {
    for (const client of [...this.clients.values()]) {
      client.close();
    }
    this.clients.clear();
  }

  /** Binds an auth to a client, remembering its collection's current token secret. */
  bind(client: RealtimeClient, auth: RequestAuth | null): void {
    client.bindAuth(auth, auth ? authSecretOf(this.collections.registry.findCollection(auth.collectionId)) : '');
  }

  /**
   * Turns the client into a guest once its token expired, its auth collection's `authToken.secret` changed or
   * the collection is gone (reference §8, and the "a token that expires stops receiving").
   */
  revalidate(client: RealtimeClient, now = this.clock.now()): void {
    const auth = client.auth;
    if (!auth) {
      return;
    }
    const c = this.collections.registry.findCollection(auth.collectionId);
    if (client.authExpiresAt <= now || !c || authSecretOf(c) !== client.authSecret) {
      client.bindAuth(null);
    }
  }

  /** After `collection.changed`: re-checks every client authenticated through that collection. */
  revalidateCollection(collectionId: string): void {
    const now = this.clock.now();
    for (const client of this.clients.values()) {
      if (client.auth?.collectionId === collectionId) {
        this.revalidate(client, now);
      }
    }
  }

  /**
   * Keeps the stored auth of clients in step with their auth record (reference §8): an update refreshes it,
   * a changed `tokenKey` or a delete turns the client into a guest.
   */
  refreshAuth(action: 'create' | 'update' | 'delete', c: CollectionModel, record: Record<string, unknown>): void {
    if (c.type !== 'auth' || action === 'create') {
      return;
    }
    for (const client of this.clients.values()) {
      const auth = client.auth;
      if (!auth || auth.collectionId !== c.id || auth.record.id !== record.id) {
        continue;
      }
      if (action === 'delete' || auth.record.tokenKey !== record.tokenKey) {
        client.bindAuth(null);
      } else {
        client.auth = { ...auth, record: { ...record } };
      }
    }
  }
}
