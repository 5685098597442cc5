import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig, BadRequestError, HookPoints } from '@lib/core';
import type { SqlExecutor } from '@lib/database';
import { parseExpand, type ExpandTree } from '@lib/query';
import { isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';
import { CollectionsRegistry } from '../collections/collections.registry';
import { exportRecord, exportRow, fromRow, fromRowValue, type RecordData } from './record-codec';
import { RecordRepository } from './record.repository';
import { isSuperuser, type RecordRequest } from './record-request';
import { RuleGuard } from './rule-guard';

/** Records of one back-relation expanded per record (PocketBase's limit). */
const BACK_RELATION_LIMIT = 1000;

/** Records `expand` may still fetch, or write out, for one answer; throws a 400 once spent. */
class ExpandBudget {
  constructor(private left: number) {}

  take(n: number): void {
    this.left -= n;
    if (this.left < 0) {
      throw new BadRequestError(
        'The expand would add too many records to the answer: ask for fewer records (perPage) or expand less.',
      );
    }
  }
}

/** Records an answer would write out under `record.expand` (each shared one as often as it appears). */
function expandedCount(record: Record<string, unknown>, memo: Map<object, number>): number {
  const known = memo.get(record);
  if (known !== undefined) {
    return known;
  }
  let n = 0;
  for (const value of Object.values((record.expand ?? {}) as Record<string, unknown>)) {
    for (const child of (Array.isArray(value) ? value : [value]) as Record<string, unknown>[]) {
      n += 1 + expandedCount(child, memo);
    }
  }
  memo.set(record, n);
  return n;
}

/** Builds record JSON for a requester: visible fields, email visibility and `expand`. */
@Injectable()
export class RecordPresenter {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly repository: RecordRepository,
    private readonly rules: RuleGuard,
    private readonly config: AppConfig,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  async present(
    collection: CollectionModel,
    records: RecordData[],
    req: RecordRequest,
    expand?: string,
    db?: SqlExecutor,
  ): Promise<Record<string, unknown>[]> {
    const out = records.map((r) => this.exportOne(collection, r, req));
    if (expand) {
      const budget = new ExpandBudget(this.config.cost.maxExpandRecords);
      await this.expandInto(collection, records, out, parseExpand(expand), req, budget, db);
      // A record expanded under many others is one object here but written out once per place.
      const memo = new Map<object, number>();
      new ExpandBudget(this.config.cost.maxExpandRecords).take(out.reduce((n, o) => n + expandedCount(o, memo), 0));
    }
    if (this.hooks?.has('onRecordEnrich', collection)) {
      await this.enrich(collection, records, out, req);
    }
    return out;
  }

  /** onRecordEnrich, once per record sent (`e.record`: its JSON, changeable; `e.raw`: its stored values). */
  private async enrich(
    collection: CollectionModel,
    records: RecordData[],
    out: Record<string, unknown>[],
    req: RecordRequest,
  ): Promise<void> {
    const requestInfo = () => ({
      auth: req.auth?.record ?? null,
      query: req.query,
      headers: req.headers,
      method: req.method,
      context: req.context,
    });
    for (let i = 0; i < out.length; i++) {
      const event = { record: out[i], raw: records[i], auth: req.auth, requestInfo };
      await this.hooks!.run('onRecordEnrich', event, async () => undefined, collection);
    }
  }

  /**
   * `present(collection, rows.map(fromRow), …)` for rows as read: without `expand` or an onRecordEnrich hook
   * (the only readers of the typed values) each row goes straight to its JSON.
   */
  async presentRows(
    collection: CollectionModel,
    rows: Record<string, unknown>[],
    req: RecordRequest,
    expand?: string,
    db?: SqlExecutor,
  ): Promise<Record<string, unknown>[]> {
    if (expand || this.hooks?.has('onRecordEnrich', collection)) {
      return this.present(
        collection,
        rows.map((r) => fromRow(collection, r)),
        req,
        expand,
        db,
      );
    }
    const superuser = isSuperuser(req);
    const auth = req.auth;
    return rows.map((row) =>
      exportRow(collection, row, {
        isSuperuser: superuser,
        showEmail:
          auth !== null &&
          auth.collectionId === collection.id &&
          auth.record.id === fromRowValue(collection, row, 'id'),
      }),
    );
  }

  exportOne(collection: CollectionModel, record: RecordData, req: RecordRequest): Record<string, unknown> {
    const own = req.auth !== null && req.auth.collectionId === collection.id && req.auth.record.id === record.id;
    return exportRecord(collection, record, { isSuperuser: isSuperuser(req), showEmail: own });
  }

  private async expandInto(
    collection: CollectionModel,
    records: RecordData[],
    out: Record<string, unknown>[],
    tree: ExpandTree,
    req: RecordRequest,
    budget: ExpandBudget,
    db?: SqlExecutor,
  ): Promise<void> {
    out.forEach((o) => (o.expand ??= {}));
    const expandReq: RecordRequest = { ...req, context: 'expand' };
    for (const [key, children] of tree) {
      const relation = collection.fields.find((f) => f.name === key && f.type === 'relation');
      if (relation) {
        await this.expandRelation(relation, records, out, key, children, expandReq, budget, db);
        continue;
      }
      const via = /^(\w+)_via_(\w+)$/.exec(key);
      const source = via ? this.registry.findCollection(via[1]) : undefined;
      const field = source?.fields.find(
        (f) => f.name === via?.[2] && f.type === 'relation' && f.collectionId === collection.id,
      );
      if (source && field) {
        await this.expandBackRelation(source, field, records, out, key, children, expandReq, budget, db);
      }
    }
  }

  private async viewable(
    target: CollectionModel,
    ids: string[],
    req: RecordRequest,
    db?: SqlExecutor,
  ): Promise<Map<string, RecordData>> {
    const condition = this.rules.conditionOrNull(target, 'viewRule', req);
    if (condition === null || ids.length === 0) {
      return new Map();
    }
    const rows = await this.repository.findByIds(target, ids, condition, db);
    return new Map(rows.map((row) => [String(row.id), fromRow(target, row)]));
  }

  private async expandRelation(
    field: FieldModel,
    records: RecordData[],
    out: Record<string, unknown>[],
    key: string,
    children: ExpandTree,
    req: RecordRequest,
    budget: ExpandBudget,
    db?: SqlExecutor,
  ) {
    const target = this.registry.findCollection(String(field.collectionId));
    if (!target) {
      return;
    }
    const idsOf = (r: RecordData) =>
      Array.isArray(r[field.name]) ? (r[field.name] as string[]) : r[field.name] ? [String(r[field.name])] : [];
    budget.take(records.reduce((n, r) => n + idsOf(r).length, 0)); // at most one expanded record per reference
    const found = await this.viewable(target, [...new Set(records.flatMap(idsOf))], req, db);
    const related = [...found.values()];
    const exported = new Map(related.map((r) => [String(r.id), this.exportOne(target, r, req)]));
    if (children.size > 0) {
      await this.expandInto(target, related, [...exported.values()], children, req, budget, db);
    }
    records.forEach((r, i) => {
      const items = idsOf(r)
        .map((id) => exported.get(id))
        .filter((x) => x !== undefined);
      if (items.length === 0) {
        return;
      }
      (out[i].expand as Record<string, unknown>)[key] = isMultiple(field) ? items : items[0];
    });
  }

  private async expandBackRelation(
    source: CollectionModel,
    field: FieldModel,
    records: RecordData[],
    out: Record<string, unknown>[],
    key: string,
    children: ExpandTree,
    req: RecordRequest,
    budget: ExpandBudget,
    db?: SqlExecutor,
  ) {
    const condition = this.rules.conditionOrNull(source, 'viewRule', req);
    if (condition === null) {
      return;
    }
    const single = source.indexes.some(
      (sql) => /^CREATE UNIQUE/i.test(sql) && new RegExp(`\\(\`${field.name}\`\\)`).test(sql),
    );
    for (const [i, record] of records.entries()) {
      const rows = await this.repository.findReferencing(source, field, String(record.id), BACK_RELATION_LIMIT, db);
      budget.take(rows.length);
      const allowed =
        condition.length === 0
          ? rows
          : await this.repository.findByIds(
              source,
              rows.map((r) => String(r.id)),
              condition,
              db,
            );
      const allowedIds = new Set(allowed.map((r) => String(r.id)));
      const related = rows.filter((r) => allowedIds.has(String(r.id))).map((r) => fromRow(source, r));
      if (related.length === 0) {
        continue;
      }
      const exported = related.map((r) => this.exportOne(source, r, req));
      if (children.size > 0) {
        await this.expandInto(source, related, exported, children, req, budget, db);
      }
      (out[i].expand as Record<string, unknown>)[key] = single ? exported[0] : exported;
    }
  }
}
