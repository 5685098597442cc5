import { Injectable } from '@nestjs/common';
import type { CollectionModel } from '@lib/schema';
import type { RealtimeClient } from './realtime-client';

/** The clients connected to this instance, by id. */
@Injectable()
export class RealtimeClients {
  private readonly clients = new Map<string, RealtimeClient>();

  add(client: RealtimeClient): void {
    this.clients.set(client.id, client);
  }

  remove(client: RealtimeClient): void {
    if (this.clients.get(client.id) === client) {
      this.clients.delete(client.id);
    }
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
      const dropped = action === 'delete' || auth.record.tokenKey !== record.tokenKey;
      client.auth = dropped ? null : { ...auth, record: { ...record } };
    }
  }
}
