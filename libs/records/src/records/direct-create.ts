import { FIELD_KINDS, type CollectionModel } from '@lib/schema';
import { CollectionsRegistry } from '../collections/collections.registry';
import { fromRow, toColumns, type RecordData } from './record-codec';
import type { RecordDeps } from './record-deps';
import { uniqueViolation } from './record-errors';
import { applyInput, type InputResult } from './record-input';
import type { RecordRepository, RelatedIds } from './record.repository';
import { isSuperuser, type RecordRequest } from './record-request';
import type { RuleGuard } from './rule-guard';

const FAILED = 'Failed to create record.';

/** A new record's values before any hook: every field's empty value, then the body. */
export function newRecordInput(c: CollectionModel, body: Record<string, unknown>, req: RecordRequest): InputResult {
  const empty: RecordData = {};
  for (const f of c.fields) {
    empty[f.name] = FIELD_KINDS[f.type].empty(f);
  }
  return applyInput(c, empty, body, true, isSuperuser(req));
}

/**
 * A create on PostgreSQL that needs nothing but its row: one autocommit `INSERT … SELECT … WHERE <the relations
 * exist> RETURNING *` instead of BEGIN, a relation read, the INSERT and COMMIT (four round trips). Taken for a base
 * collection with no create hooks, no uploads, a valid body and a create rule decided in memory before the insert
 * (none, a superuser, or one without joins on a collection without JSON columns, whose stored values could differ
 * from the values sent); anything else — and a missing relation, which the transaction then reports as it always
 * did — goes the transactional way (`undefined`).
 */
export class DirectCreate {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly repository: RecordRepository,
    private readonly rules: RuleGuard,
    private readonly deps: RecordDeps,
  ) {}

  async create(c: CollectionModel, body: Record<string, unknown>, req: RecordRequest): Promise<RecordData | undefined> {
    if (this.deps.database.engine !== 'postgres' || c.type !== 'base' || this.deps.hooks.hasWriteHooks(c, 'create')) {
      return undefined;
    }
    const rule = this.rules.condition(c, 'createRule', req); // a locked rule: the 403 first, as the transaction's
    const input = newRecordInput(c, body, req);
    if (Object.keys(input.errors).length > 0 || input.uploads.size > 0) {
      return undefined;
    }
    const related = this.related(c, input);
    const { names, values } = toColumns(c, input.data);
    if (rule.length > 0 && !this.allowedBefore(c, req, names, values, input.body)) {
      return undefined;
    }
    let row: Record<string, unknown> | null;
    try {
      row = await this.repository.insertIfRelated(c, names, values, related, this.deps.database);
    } catch (error) {
      throw uniqueViolation(error, FAILED) ?? error;
    }
    return row ? fromRow(c, row) : undefined;
  }

  /** The ids each relation field of the body names, as `RelationWriter.checkExisting` checks them. */
  private related(c: CollectionModel, input: InputResult): RelatedIds[] {
    const out: RelatedIds[] = [];
    for (const field of c.fields) {
      if (field.type !== 'relation' || !input.changed.has(field.name)) {
        continue;
      }
      const value = input.data[field.name];
      const ids = Array.isArray(value) ? (value as string[]) : typeof value === 'string' && value !== '' ? [value] : [];
      const target = this.registry.findCollection(String(field.collectionId));
      if (ids.length > 0 && target) {
        out.push({ collection: target, ids });
      }
    }
    return out;
  }

  /** True only when the create rule is decided in memory and allows the row about to be written. */
  private allowedBefore(
    c: CollectionModel,
    req: RecordRequest,
    names: string[],
    values: unknown[],
    body: Record<string, unknown>,
  ): boolean {
    // jsonb stores JSON normalised (key order, spacing): the rule must see the row as stored, so those go the
    // transactional way (the rule is checked after the INSERT there).
    if (c.fields.some((f) => FIELD_KINDS[f.type].column(f).type === 'json')) {
      return false;
    }
    const row: Record<string, unknown> = {};
    names.forEach((name, i) => (row[name] = values[i]));
    return this.rules.evaluate(c, 'createRule', req, fromRow(c, row), body) === true;
  }
}
