import { Injectable } from '@nestjs/common';
import { Database, SqlExecutor } from '@lib/database';
import { FIELD_KINDS, isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';
import { quoteIdent as q } from '../records/record-codec';
import { IndexAdvisor } from '../records/index-advisor';
import { ListAsked, ListQuery, RecordRepository, RelatedIds, SqlPart } from '../records/record.repository';
import { CountCache } from './count-cache';

/** `findById` texts kept per collection (one per distinct rule or filter condition). */
const MAX_TEXTS_PER_COLLECTION = 100;

/** The PostgreSQL type of each storage type (see PostgresTableDdl), for casts of bound values. */
const PG_TYPES = { text: 'text', numeric: 'double precision', boolean: 'boolean', json: 'jsonb' } as const;

/** The parts' conditions ANDed (empty ones dropped), with their params in order. */
function conjunction(parts: SqlPart[]): SqlPart {
  if (parts.length === 1 && parts[0].sql !== '') {
    return parts[0];
  }
  const active = parts.filter((p) => p.sql !== '');
  if (active.length <= 1) {
    return active[0] ?? { sql: '', params: [] };
  }
  return { sql: active.map((p) => `(${p.sql})`).join(' AND '), params: active.flatMap((p) => p.params) };
}

function whereClause(parts: SqlPart[]): SqlPart {
  const cond = conjunction(parts);
  return cond.sql === '' ? cond : { sql: ` WHERE (${cond.sql})`, params: cond.params };
}

@Injectable()
export class TypeormRecordRepository extends RecordRepository {
  /**
   * `findById`'s SQL per collection model and condition: the hot path of view requests builds no
   * string. Models are replaced on every collection reload, which drops their texts.
   */
  private readonly byIdSql = new WeakMap<CollectionModel, Map<string, string>>();

  private readonly counts: CountCache;
  private readonly postgres: boolean;

  /**
   * A list's order without a sort: SQLite's rowid (insertion order); on PostgreSQL the table's physical order
   * (`ctid`: insertion order until rows are updated). Views have none.
   */
  private rowOrder(c: CollectionModel): string {
    return c.type === 'view' ? '' : this.postgres ? ' ORDER BY "r"."ctid"' : ' ORDER BY "r"."rowid"';
  }

  constructor(
    private readonly database: Database,
    private readonly advisor: IndexAdvisor,
  ) {
    super();
    this.counts = new CountCache(database);
    this.postgres = database.engine === 'postgres';
  }

  override list(c: CollectionModel, query: ListQuery, db: SqlExecutor = this.database) {
    const where = whereClause(query.where);
    const order = query.orderBy?.sql ? ` ORDER BY ${query.orderBy.sql}` : this.rowOrder(c);
    const sql = `SELECT "r".* FROM ${q(c.name)} "r"${where.sql}${order} LIMIT ? OFFSET ?`;
    const params = [...where.params, ...(query.orderBy?.params ?? []), query.limit, query.offset];
    return this.timed(c, query.asked, () => db.query(sql, params));
  }

  /** Runs a list's query; one as slow as `NB_SLOW_LIST_MS` goes to the index advisor. */
  private async timed<T>(c: CollectionModel, asked: ListAsked | undefined, run: () => Promise<T>): Promise<T> {
    if (!asked) {
      return run();
    }
    const started = performance.now();
    const value = await run();
    const ms = performance.now() - started;
    if (this.advisor.isSlow(ms)) {
      this.advisor.observe(c, asked, ms);
    }
    return value;
  }

  override async count(c: CollectionModel, parts: SqlPart[], db: SqlExecutor = this.database, asked?: ListAsked) {
    const where = whereClause(parts);
    const sql = `SELECT COUNT(*) AS "n" FROM ${q(c.name)} "r"${where.sql}`;
    // The mark before the query (see CountCache): a write landing while it runs makes the entry stale at once.
    // `asked`: a list request's total (RecordsService.list), whose auth guard waited for a fresh stamp read.
    const mark = this.counts.mark(asked !== undefined);
    const key = mark === null ? null : this.counts.key(c, sql, where.params);
    const known = key === null ? undefined : this.counts.get(key, mark!);
    if (known !== undefined) {
      return known;
    }
    const n = (await this.timed(c, asked, () => db.query<{ n: number }>(sql, where.params)))[0]?.n ?? 0;
    if (key !== null) {
      this.counts.set(key, mark!, n);
    }
    return n;
  }

  override async findById(c: CollectionModel, id: string, parts: SqlPart[] = [], db: SqlExecutor = this.database) {
    if (this.postgres && id.includes('\0')) {
      return null; // PostgreSQL text can't hold a NUL: no row has this id (a 404, as on SQLite; not the value's 400)
    }
    const cond = conjunction(parts);
    const rows = await db.query(this.findByIdSql(c, cond.sql), cond.params.length ? [id, ...cond.params] : [id]);
    return rows[0] ?? null;
  }

  private findByIdSql(c: CollectionModel, cond: string): string {
    let texts = this.byIdSql.get(c);
    if (!texts) {
      texts = new Map();
      this.byIdSql.set(c, texts);
    }
    let sql = texts.get(cond);
    if (sql === undefined) {
      const where = cond === '' ? '' : ` AND (${cond})`;
      sql = `SELECT "r".* FROM ${q(c.name)} "r" WHERE "r"."id" = ?${where} LIMIT 1`;
      if (texts.size >= MAX_TEXTS_PER_COLLECTION) {
        texts.clear();
      }
      texts.set(cond, sql);
    }
    return sql;
  }

  override async findByIds(c: CollectionModel, ids: string[], parts: SqlPart[] = [], db: SqlExecutor = this.database) {
    if (this.postgres) {
      ids = ids.filter((id) => !id.includes('\0')); // no row has it (see findById)
    }
    if (ids.length === 0) {
      return [];
    }
    // One id (a single relation, checked on every create that sets it): the primary key, no json_each.
    const byId =
      ids.length === 1
        ? { sql: `"r"."id" = ?`, params: [ids[0]] }
        : {
            sql: `"r"."id" IN (${this.postgres ? 'SELECT jsonb_array_elements_text(?::jsonb)' : 'SELECT value FROM json_each(?)'})`,
            params: [JSON.stringify(ids)],
          };
    const where = whereClause([byId, ...parts]);
    return db.query(`SELECT "r".* FROM ${q(c.name)} "r"${where.sql}`, where.params);
  }

  override findReferencing(
    c: CollectionModel,
    field: FieldModel,
    id: string,
    limit: number,
    db: SqlExecutor = this.database,
  ) {
    const col = `"r".${q(field.name)}`;
    const multiple = this.postgres
      ? `${col} @> jsonb_build_array(?::text)`
      : `EXISTS (SELECT 1 FROM json_each(${col}) WHERE value = ?)`;
    const cond = isMultiple(field) ? multiple : `${col} = ?`;
    const order = this.rowOrder(c);
    return db.query(`SELECT "r".* FROM ${q(c.name)} "r" WHERE ${cond}${order} LIMIT ?`, [id, limit]);
  }

  override async insert(c: CollectionModel, names: string[], values: unknown[], db: SqlExecutor) {
    this.noteAuthWrite(c);
    const sql = this.writeSql(c, 'insert', names, () => {
      const cols = names.map(q).join(', ');
      return `INSERT INTO ${q(c.name)} (${cols}) VALUES (${names.map(() => '?').join(', ')}) RETURNING *`;
    });
    return (await db.query(sql, values))[0];
  }

  override async insertIfRelated(
    c: CollectionModel,
    names: string[],
    values: unknown[],
    related: RelatedIds[],
    db: SqlExecutor,
  ) {
    if (related.length === 0) {
      return this.insert(c, names, values, db);
    }
    this.noteAuthWrite(c);
    const shape = related.map((r) => `${r.collection.name}/${r.ids.length === 1 ? 1 : 'n'}`).join(',');
    const sql = this.writeSql(c, `insertIf:${shape}`, names, () => {
      const cols = names.map(q).join(', ');
      const checks = related.map((r) => this.relatedCheck(r)).join(' AND ');
      return `INSERT INTO ${q(c.name)} (${cols}) SELECT ${names.map((n) => this.typed(c, n)).join(', ')} WHERE ${checks} RETURNING *`;
    });
    const params = [
      ...values,
      ...related.flatMap((r) => (r.ids.length === 1 ? r.ids : [JSON.stringify(r.ids), r.ids.length])),
    ];
    return (await db.query(sql, params))[0] ?? null;
  }

  /** `?` as the column's type: a SELECT's values aren't typed by the INSERT's columns on PostgreSQL (as VALUES are). */
  private typed(c: CollectionModel, name: string): string {
    const field = c.fields.find((f) => f.name === name);
    return this.postgres && field ? `?::${PG_TYPES[FIELD_KINDS[field.type].column(field).type]}` : '?';
  }

  /** True when every id exists (a list of ids: as many rows as ids, as `findByIds` counts them). */
  private relatedCheck(r: RelatedIds): string {
    const table = q(r.collection.name);
    if (r.ids.length === 1) {
      return `EXISTS (SELECT 1 FROM ${table} WHERE "id" = ?)`;
    }
    const list = this.postgres ? 'SELECT jsonb_array_elements_text(?::jsonb)' : 'SELECT value FROM json_each(?)';
    return `(SELECT COUNT(*) FROM ${table} WHERE "id" IN (${list})) = ?`;
  }

  override async update(c: CollectionModel, id: string, names: string[], values: unknown[], db: SqlExecutor) {
    if (names.length === 0) {
      return this.findById(c, id, [], db);
    }
    this.noteAuthWrite(c);
    const sql = this.writeSql(c, 'update', names, () => {
      const sets = names.map((n) => `${q(n)} = ?`).join(', ');
      return `UPDATE ${q(c.name)} SET ${sets} WHERE "id" = ? RETURNING *`;
    });
    return (await db.query(sql, [...values, id]))[0] ?? null;
  }

  /** INSERT / UPDATE texts per collection model and column list: one statement per collection shape. */
  private readonly writeTexts = new WeakMap<CollectionModel, Map<string, string>>();

  private writeSql(c: CollectionModel, kind: string, names: string[], build: () => string): string {
    let texts = this.writeTexts.get(c);
    if (!texts) {
      texts = new Map();
      this.writeTexts.set(c, texts);
    }
    const key = `${kind}:${names.join(',')}`;
    let sql = texts.get(key);
    if (sql === undefined) {
      sql = build();
      if (texts.size >= MAX_TEXTS_PER_COLLECTION) {
        texts.clear();
      }
      texts.set(key, sql);
    }
    return sql;
  }

  /** A row of an auth collection may be a token's auth record: the verified-token cache must see the change. */
  private noteAuthWrite(c: CollectionModel): void {
    if (c.type === 'auth') {
      this.database.noteSensitiveWrite();
    }
  }

  override async delete(c: CollectionModel, id: string, db: SqlExecutor) {
    this.noteAuthWrite(c);
    await db.run(`DELETE FROM ${q(c.name)} WHERE "id" = ?`, [id]);
  }

  override async deleteWhere(c: CollectionModel, equals: Record<string, string>, db: SqlExecutor) {
    const names = Object.keys(equals).filter((n) => c.fields.some((f) => f.name === n));
    if (names.length === 0) {
      return;
    }
    this.noteAuthWrite(c);
    const where = names.map((n) => `${q(n)} = ?`).join(' AND ');
    await db.run(
      `DELETE FROM ${q(c.name)} WHERE ${where}`,
      names.map((n) => equals[n]),
    );
  }

  override async deleteAll(c: CollectionModel, db: SqlExecutor) {
    this.noteAuthWrite(c);
    await db.run(`DELETE FROM ${q(c.name)}`);
  }
}
