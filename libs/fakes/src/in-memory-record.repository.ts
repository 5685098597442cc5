// An in-memory RecordRepository for unit specs: rows as plain objects per collection id. It evaluates no SQL:
// a non-empty `where` (a rule or filter fragment) is refused, so a spec can't pass by ignoring a rule; rule
// conditions are covered by the API tier, where the real compiler and database run.
import type { SqlExecutor } from '@lib/database';
import { RecordRepository } from '@lib/records';
import type { CollectionModel, FieldModel } from '@lib/schema';

type Row = Record<string, unknown>;
// The port's own parameter types (not exported by @lib/records).
type ListQuery = Parameters<RecordRepository['list']>[1];
type SqlPart = Parameters<RecordRepository['count']>[1][number];
type RelatedIds = Parameters<RecordRepository['insertIfRelated']>[3][number];

export class InMemoryRecordRepository extends RecordRepository {
  private readonly tables = new Map<string, Map<string, Row>>();
  /** Every write, in order (`insert c/id`, `update c/id`, `delete c/id`), for assertions. */
  readonly writes: string[] = [];

  /** Seeds a row (stored column values) without recording a write. */
  seed(c: CollectionModel, row: Row): void {
    this.table(c).set(String(row.id), { ...row });
  }

  rows(c: CollectionModel): Row[] {
    return [...this.table(c).values()].map((r) => ({ ...r }));
  }

  override list(c: CollectionModel, q: ListQuery): Promise<Row[]> {
    noSql(q.where, q.orderBy ? [q.orderBy] : []);
    return Promise.resolve(this.rows(c).slice(q.offset, q.offset + q.limit));
  }

  override count(c: CollectionModel, where: SqlPart[]): Promise<number> {
    noSql(where);
    return Promise.resolve(this.table(c).size);
  }

  override findById(c: CollectionModel, id: string, where: SqlPart[] = []): Promise<Row | null> {
    noSql(where);
    const row = this.table(c).get(id);
    return Promise.resolve(row ? { ...row } : null);
  }

  override async findByIds(c: CollectionModel, ids: string[], where: SqlPart[] = []): Promise<Row[]> {
    const found = await Promise.all(ids.map((id) => this.findById(c, id, where)));
    return found.filter((r): r is Row => r !== null);
  }

  override findReferencing(c: CollectionModel, field: FieldModel, id: string, limit: number): Promise<Row[]> {
    const holds = (v: unknown): boolean =>
      v === id || (typeof v === 'string' && v.startsWith('[') && (JSON.parse(v) as unknown[]).includes(id));
    return Promise.resolve(
      this.rows(c)
        .filter((r) => holds(r[field.name]))
        .slice(0, limit),
    );
  }

  override insert(
    c: CollectionModel,
    names: string[],
    values: unknown[],
    _db: SqlExecutor,
  ): Promise<Record<string, unknown>> {
    const row = Object.fromEntries(names.map((n, i) => [n, values[i]]));
    const id = String(row.id);
    if (this.table(c).has(id)) {
      return Promise.reject(new Error(`UNIQUE constraint failed: ${c.name}.id`));
    }
    this.table(c).set(id, row);
    this.writes.push(`insert ${c.name}/${id}`);
    return Promise.resolve({ ...row });
  }

  override async insertIfRelated(
    c: CollectionModel,
    names: string[],
    values: unknown[],
    related: RelatedIds[],
    db: SqlExecutor,
  ): Promise<Record<string, unknown> | null> {
    for (const r of related) {
      if ((await this.findByIds(r.collection, r.ids)).length !== r.ids.length) {
        return null;
      }
    }
    return this.insert(c, names, values, db);
  }

  override update(
    c: CollectionModel,
    id: string,
    names: string[],
    values: unknown[],
    _db: SqlExecutor,
  ): Promise<Record<string, unknown> | null> {
    const row = this.table(c).get(id);
    if (!row) {
      return Promise.resolve(null);
    }
    names.forEach((n, i) => (row[n] = values[i]));
    this.writes.push(`update ${c.name}/${id}`);
    return Promise.resolve({ ...row });
  }

  override delete(c: CollectionModel, id: string, _db: SqlExecutor): Promise<void> {
    if (this.table(c).delete(id)) {
      this.writes.push(`delete ${c.name}/${id}`);
    }
    return Promise.resolve();
  }

  override deleteAll(c: CollectionModel, _db: SqlExecutor): Promise<void> {
    this.table(c).clear();
    return Promise.resolve();
  }

  override deleteWhere(c: CollectionModel, equals: Record<string, string>, _db: SqlExecutor): Promise<void> {
    for (const [id, row] of this.table(c)) {
      if (Object.entries(equals).every(([k, v]) => row[k] === v)) {
        this.table(c).delete(id);
      }
    }
    return Promise.resolve();
  }

  private table(c: CollectionModel): Map<string, Row> {
    let table = this.tables.get(c.id);
    if (!table) {
      table = new Map();
      this.tables.set(c.id, table);
    }
    return table;
  }
}

function noSql(...parts: SqlPart[][]): void {
  if (parts.some((p) => p.length > 0)) {
    throw new Error('InMemoryRecordRepository evaluates no SQL: test rule conditions in the API tier');
  }
}
