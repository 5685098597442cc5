import { RecordsServiceClient } from '@lib/core';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { RequestAuth } from '@lib/core';
import { TokenService } from '@lib/auth';
import { EventBus } from '@lib/events';
import { RealtimeAuthResolver } from '../realtime-auth.resolver';
import { RealtimeCollections } from '../realtime-collections';

type AuthRecord = Record<string, unknown> | null;

/** A looked-up auth record is reused this long, unless its change event arrives first. */
const CACHE_MS = 5000;
const MAX_CACHE = 10_000;
/** Auth records per lookup request (the records service's limit). */
const BATCH = 1000;

/**
 * Verifies tokens like the auth lib's guard (reference §7), with the auth record (its `tokenKey`) fetched from
 * the records service: lookups of one tick go in one request, and answers are cached briefly and dropped on
 * the record's update/delete events.
 */
@Injectable()
export class RemoteRealtimeAuthResolver extends RealtimeAuthResolver implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, { record: AuthRecord; until: number }>();
  private pending = new Map<string, { collectionId: string; id: string; waiters: ((r: AuthRecord) => void)[] }>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly tokens: TokenService,
    private readonly collections: RealtimeCollections,
    private readonly records: RecordsServiceClient,
    private readonly bus: EventBus,
  ) {
    super();
  }

  onModuleInit(): void {
    for (const name of ['record.updated', 'record.deleted'] as const) {
      this.unsubscribe.push(
        this.bus.subscribe(name, (p) => void this.cache.delete(`${p.collectionId}/${String(p.record.id)}`)),
      );
    }
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
  }

  override async resolve(header: string | undefined): Promise<RequestAuth | null> {
    const token = (header ?? '').replace(/^(bearer|user|admin)\s+/i, '').trim();
    const claims = token ? this.tokens.peek(token) : null;
    if (!claims || claims.type !== 'auth') {
      return null;
    }
    const c = await this.collections.find(claims.collectionId);
    if (!c || c.type !== 'auth' || c.id !== claims.collectionId) {
      return null;
    }
    const record = await this.lookup(c.id, claims.id);
    const verified = record && this.tokens.verify(token, c, record, 'auth');
    if (!record || !verified) {
      return null;
    }
    return {
      token,
      refreshable: verified.refreshable !== false,
      collectionId: c.id,
      collectionName: c.name,
      record,
      isSuperuser: c.name === '_superusers',
    };
  }

  private lookup(collectionId: string, id: string): Promise<AuthRecord> {
    const key = `${collectionId}/${id}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) {
      return Promise.resolve(hit.record);
    }
    return new Promise((resolve) => {
      const entry = this.pending.get(key) ?? { collectionId, id, waiters: [] };
      entry.waiters.push(resolve);
      this.pending.set(key, entry);
      if (this.pending.size === 1 && entry.waiters.length === 1) {
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.entries()];
    this.pending = new Map();
    const records: AuthRecord[] = [];
    try {
      for (let start = 0; start < batch.length; start += BATCH) {
        const refs = batch.slice(start, start + BATCH).map(([, e]) => ({ collectionId: e.collectionId, id: e.id }));
        const answer = await this.records.post<{ records: AuthRecord[] }>('/api/_internal/auth-records', { refs });
        records.push(...answer.records);
      }
    } catch {
      // the records service is unreachable: the tokens not looked up count as guests', uncached
    }
    if (this.cache.size > MAX_CACHE) {
      this.cache.clear();
    }
    batch.forEach(([key, entry], i) => {
      const record = records[i] ?? null;
      if (i < records.length) {
        this.cache.set(key, { record, until: Date.now() + CACHE_MS });
      }
      entry.waiters.forEach((w) => w(record));
    });
  }
}
