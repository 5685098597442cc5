import { Injectable } from '@nestjs/common';
import { Database, SqlExecutor } from '@lib/database';
import { isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';
import { quoteIdent as q } from '../records/record-codec';
import { ListQuery, RecordRepository, SqlPart } from '../records/record.repository';

function whereClause(parts: SqlPart[]): SqlPart {
  const active = parts.filter((p) => p.sql !== '');
  if (active.length === 0) {
    return { sql: '', params: [] };
  }
  return { sql: ` WHERE ${active.map((p) => `(${p.sql})`).join(' AND ')}`, params: active.flatMap((p) => p.params) };
}

@Injectable()
export class TypeormRecordRepository extends RecordRepository {
  constructor(private readonly database: Database) {
    super();
  }

  override list(c: CollectionModel, query: ListQuery, db: SqlExecutor = this.database) {
    const where = whereClause(query.where);
    const order = query.orderBy?.sql
      ? ` ORDER BY ${query.orderBy.sql}`
      : c.type === 'view'
        ? ''
        : ' ORDER BY "r"."rowid"';
    const sql = `SELECT "r".* FROM ${q(c.name)} "r"${where.sql}${order} LIMIT ? OFFSET ?`;
    return db.query(sql, [...where.params, ...(query.orderBy?.params ?? []), query.limit, query.offset]);
  }

  override async count(c: CollectionModel, parts: SqlPart[], db: SqlExecutor = this.database) {
    const where = whereClause(parts);
    const rows = await db.query<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM ${q(c.name)} "r"${where.sql}`,
      where.params,
    );
    return rows[0]?.n ?? 0;
  }

  override async findById(c: CollectionModel, id: string, parts: SqlPart[] = [], db: SqlExecutor = this.database) {
    const where = whereClause([{ sql: '"r"."id" = ?', params: [id] }, ...parts]);
    const rows = await db.query(`SELECT "r".* FROM ${q(c.name)} "r"${where.sql} LIMIT 1`, where.params);
    return rows[0] ?? null;
  }

  override async findByIds(c: CollectionModel, ids: string[], parts: SqlPart[] = [], db: SqlExecutor = this.database) {
    if (ids.length === 0) {
      return [];
    }
    const where = whereClause([
      { sql: `"r"."id" IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] },
      ...parts,
    ]);
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
    const cond = isMultiple(field) ? `EXISTS (SELECT 1 FROM json_each(${col}) WHERE value = ?)` : `${col} = ?`;
    const order = c.type === 'view' ? '' : ' ORDER BY "r"."rowid"';
    return db.query(`SELECT "r".* FROM ${q(c.name)} "r" WHERE ${cond}${order} LIMIT ?`, [id, limit]);
  }

  override async insert(c: CollectionModel, names: string[], values: unknown[], db: SqlExecutor) {
    const cols = names.map(q).join(', ');
    await db.run(`INSERT INTO ${q(c.name)} (${cols}) VALUES (${names.map(() => '?').join(', ')})`, values);
  }

  override async update(c: CollectionModel, id: string, names: string[], values: unknown[], db: SqlExecutor) {
    if (names.length === 0) {
      return;
    }
    const sets = names.map((n) => `${q(n)} = ?`).join(', ');
    await db.run(`UPDATE ${q(c.name)} SET ${sets} WHERE "id" = ?`, [...values, id]);
  }

  override async delete(c: CollectionModel, id: string, db: SqlExecutor) {
    await db.run(`DELETE FROM ${q(c.name)} WHERE "id" = ?`, [id]);
  }

  override async deleteWhere(c: CollectionModel, equals: Record<string, string>, db: SqlExecutor) {
    const names = Object.keys(equals).filter((n) => c.fields.some((f) => f.name === n));
    if (names.length === 0) {
      return;
    }
    const where = names.map((n) => `${q(n)} = ?`).join(' AND ');
    await db.run(
      `DELETE FROM ${q(c.name)} WHERE ${where}`,
      names.map((n) => equals[n]),
    );
  }

  override async deleteAll(c: CollectionModel, db: SqlExecutor) {
    await db.run(`DELETE FROM ${q(c.name)}`);
  }
}
