import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@lib/database';
import { parseExpand, type ExpandTree } from '@lib/query';
import { isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';
import { CollectionsRegistry } from '../collections/collections.registry';
import { exportRecord, fromRow, type RecordData } from './record-codec';
import { RecordRepository } from './record.repository';
import { isSuperuser, type RecordRequest } from './record-request';
import { RuleGuard } from './rule-guard';

const BACK_RELATION_LIMIT = 1000;

/** Builds record JSON for a requester: visible fields, email visibility and `expand`. */
@Injectable()
export class RecordPresenter {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly repository: RecordRepository,
    private readonly rules: RuleGuard,
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
      await this.expandInto(collection, records, out, parseExpand(expand), req, db);
    }
    return out;
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
    db?: SqlExecutor,
  ): Promise<void> {
    out.forEach((o) => (o.expand ??= {}));
    const expandReq: RecordRequest = { ...req, context: 'expand' };
    for (const [key, children] of tree) {
      const relation = collection.fields.find((f) => f.name === key && f.type === 'relation');
      if (relation) {
        await this.expandRelation(relation, records, out, key, children, expandReq, db);
        continue;
      }
      const via = /^(\w+)_via_(\w+)$/.exec(key);
      const source = via ? this.registry.findCollection(via[1]) : undefined;
      const field = source?.fields.find(
        (f) => f.name === via?.[2] && f.type === 'relation' && f.collectionId === collection.id,
      );
      if (source && field) {
        await this.expandBackRelation(source, field, records, out, key, children, expandReq, db);
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
    db?: SqlExecutor,
  ) {
    const target = this.registry.findCollection(String(field.collectionId));
    if (!target) {
      return;
    }
    const idsOf = (r: RecordData) =>
      Array.isArray(r[field.name]) ? (r[field.name] as string[]) : r[field.name] ? [String(r[field.name])] : [];
    const found = await this.viewable(target, [...new Set(records.flatMap(idsOf))], req, db);
    const related = [...found.values()];
    const exported = new Map(related.map((r) => [String(r.id), this.exportOne(target, r, req)]));
    if (children.size > 0) {
      await this.expandInto(target, related, [...exported.values()], children, req, db);
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
        await this.expandInto(source, related, exported, children, req, db);
      }
      (out[i].expand as Record<string, unknown>)[key] = single ? exported[0] : exported;
    }
  }
}
