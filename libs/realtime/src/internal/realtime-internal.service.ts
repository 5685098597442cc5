import { Injectable } from '@nestjs/common';
import { BadRequestError, isPlainObject } from '@lib/core';
import { RecordRepository, fromRow, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeAccess } from '../realtime-access.service';
import { RealtimeCollections } from '../realtime-collections';
import { RealtimeRenderer } from '../realtime-renderer';
import type { AuthRecordsBody, RenderBody, RuleCheckBody, WireRequest } from './internal-wire';

const MAX_REFS = 1000;

/**
 * What a realtime process without a database asks the records service (behind the shared secret): the
 * collections, auth records for token checks, joined rule checks batched per event, and `expand` renderings.
 */
@Injectable()
export class RealtimeInternalService {
  constructor(
    private readonly collections: RealtimeCollections,
    private readonly access: RealtimeAccess,
    private readonly renderer: RealtimeRenderer,
    private readonly records: RecordRepository,
  ) {}

  async listCollections(): Promise<{ collections: readonly CollectionModel[] }> {
    await this.collections.refresh('');
    return { collections: this.collections.registry.allCollections() };
  }

  /**
   * What a realtime process that knows `known` (id → `updated`) needs to be up to date: the ids in order, and only
   * the definitions that moved (a full list after every schema change was O(collections) each time).
   */
  async collectionsSince(known: unknown): Promise<{ ids: string[]; changed: CollectionModel[] }> {
    if (!isPlainObject(known)) {
      throw new BadRequestError('Invalid known collections.');
    }
    await this.collections.refresh('');
    const stamps = new Map(Object.entries(known));
    const all = this.collections.registry.allCollections();
    return { ids: all.map((c) => c.id), changed: all.filter((c) => stamps.get(c.id) !== c.updated) };
  }

  async ruleCheck(body: RuleCheckBody): Promise<{ allowed: boolean[] }> {
    const c = await this.collection(body?.collectionId);
    const expression = body.expression;
    const valid =
      expression &&
      (('rule' in expression && ['listRule', 'viewRule'].includes(expression.rule)) ||
        ('filter' in expression && typeof expression.filter === 'string'));
    if (!valid || !Array.isArray(body.requests) || !isPlainObject(body.record)) {
      throw new BadRequestError('Invalid rule check.');
    }
    const requests = body.requests.map((r) => this.request(r));
    return { allowed: await this.access.check(c, expression, body.record, requests) };
  }

  async render(body: RenderBody): Promise<{ record: Record<string, unknown> }> {
    const c = await this.collection(body?.collectionId);
    if (!isPlainObject(body.record) || typeof body.expand !== 'string') {
      throw new BadRequestError('Invalid render request.');
    }
    return { record: await this.renderer.present(c, body.record, this.request(body.request), body.expand) };
  }

  async authRecords(body: AuthRecordsBody): Promise<{ records: (Record<string, unknown> | null)[] }> {
    if (!Array.isArray(body?.refs) || body.refs.length > MAX_REFS) {
      throw new BadRequestError('Invalid auth record lookup.');
    }
    await this.collections.refresh('');
    const records = await Promise.all(
      body.refs.map(async (ref) => {
        const c = this.collections.registry.findCollection(String(ref?.collectionId));
        if (!c || c.type !== 'auth' || c.id !== ref.collectionId || typeof ref.id !== 'string') {
          return null;
        }
        const row = await this.records.findById(c, ref.id);
        if (!row) {
          return null;
        }
        const record = fromRow(c, row);
        c.fields.filter((f) => f.type === 'password').forEach((f) => delete record[f.name]);
        return record;
      }),
    );
    return { records };
  }

  private async collection(id: unknown): Promise<CollectionModel> {
    const c = typeof id === 'string' ? await this.collections.find(id) : undefined;
    if (!c) {
      throw new BadRequestError('Unknown collection.');
    }
    return c;
  }

  /** A wire request as a realtime request; the auth record snapshot is trusted (the secret guards the caller). */
  private request(wire: WireRequest | undefined): RecordRequest {
    const authCollection = wire?.auth ? this.collections.registry.findCollection(wire.auth.collectionId) : undefined;
    const auth =
      authCollection && wire?.auth && isPlainObject(wire.auth.record)
        ? {
            collectionId: authCollection.id,
            collectionName: authCollection.name,
            record: wire.auth.record,
            isSuperuser: authCollection.name === '_superusers',
          }
        : null;
    return {
      auth,
      query: stringMap(wire?.query),
      headers: stringMap(wire?.headers),
      method: 'GET',
      context: 'realtime',
    };
  }
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        out[k] = v;
      }
    }
  }
  return out;
}
