import type { Pool, PoolClient } from 'pg';
import { ColumnChanges, ColumnSpec, DescribedColumn, IndexSpec, SqlExecutor, TableDdl } from '../sql-executor';
import { quoteIdentifier as q } from '../quote';

/**
 * A column type of nestbase's storage model on PostgreSQL (the query compiler's postgres dialect reads these). Text
 * is byte-ordered (`COLLATE "C"`, SQLite's BINARY): the compiler sorts and compares text in that collation, so an
 * index on the column serves both its equality filters and its sorts.
 */
const TYPES: Record<ColumnSpec['type'], string> = {
  text: 'TEXT COLLATE "C"',
  numeric: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  json: 'JSONB',
};

function defaultOf(spec: ColumnSpec): string {
  if (spec.default === null) {
    return '';
  }
  if (spec.type === 'boolean') {
    return ` DEFAULT ${spec.default === '1' || /true/i.test(spec.default) ? 'TRUE' : 'FALSE'}`;
  }
  return ` DEFAULT ${spec.default}`;
}

export function columnSql(spec: ColumnSpec): string {
  const key = spec.primary ? ' PRIMARY KEY' : '';
  return `${q(spec.name)} ${TYPES[spec.type]}${spec.notNull || spec.primary ? ' NOT NULL' : ''}${defaultOf(spec)}${key}`;
}

/** A PocketBase index condition (SQLite: backquoted names) with PostgreSQL's double quotes. */
function pgCondition(where: string): string {
  let out = '';
  let quote: string | null = null;
  for (const ch of where) {
    if (quote) {
      out += ch === '`' && quote === '`' ? '"' : ch;
      quote = ch === quote ? null : quote;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      out += ch === '`' ? '"' : ch;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * NULLS FIRST on every column: SQLite's order (NULL smallest), which the compiler's `ORDER BY … ASC NULLS FIRST` /
 * `DESC NULLS LAST` asks for, so a list sorted on an indexed column reads the index in order (backwards for DESC)
 * and stops at its page instead of sorting every matching row.
 */
function indexSql(table: string, index: IndexSpec): string {
  const cols = index.columns.map((column) => `${q(column)} NULLS FIRST`).join(', ');
  const where = index.where ? ` WHERE ${pgCondition(index.where)}` : '';
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q(index.name)} ON ${q(table)} (${cols})${where}`;
}

const TYPE_NAMES: Record<number, string> = { 16: 'BOOLEAN', 25: 'TEXT', 701: 'REAL', 1700: 'NUMERIC', 3802: 'JSON' };

/** Collection DDL on PostgreSQL, in plain SQL (DDL is transactional there: it runs in the schema transaction). */
export class PostgresTableDdl extends TableDdl {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly target: Pool | PoolClient,
  ) {
    super();
  }

  override async createTable(name: string, columns: ColumnSpec[], indexes: IndexSpec[] = []): Promise<void> {
    await this.sql.run(`CREATE TABLE ${q(name)} (${columns.map(columnSql).join(', ')})`);
    for (const index of indexes) {
      await this.sql.run(indexSql(name, index));
    }
  }

  override async renameTable(from: string, to: string): Promise<void> {
    await this.sql.run(`ALTER TABLE ${q(from)} RENAME TO ${q(to)}`);
  }

  override async changeColumns(table: string, changes: ColumnChanges): Promise<void> {
    for (const { from, to } of changes.rename) {
      await this.sql.run(`ALTER TABLE ${q(table)} RENAME COLUMN ${q(from)} TO ${q(to)}`);
    }
    for (const name of changes.drop) {
      await this.sql.run(`ALTER TABLE ${q(table)} DROP COLUMN ${q(name)}`);
    }
    for (const spec of changes.add) {
      await this.sql.run(`ALTER TABLE ${q(table)} ADD COLUMN ${columnSql(spec)}`);
    }
  }

  override async changeShape(table: string, column: string, toMultiple: boolean): Promise<void> {
    const c = q(column);
    const using = toMultiple
      ? `JSONB USING (CASE WHEN ${c} = '' OR ${c} IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(${c}) END)`
      : `TEXT COLLATE "C" USING (CASE WHEN jsonb_typeof(${c}) = 'array' THEN COALESCE(${c} ->> -1, '') ELSE COALESCE(${c} #>> '{}', '') END)`;
    await this.sql.run(
      `ALTER TABLE ${q(table)} ALTER COLUMN ${c} DROP DEFAULT, ALTER COLUMN ${c} TYPE ${using}, ` +
        `ALTER COLUMN ${c} SET DEFAULT ${toMultiple ? "'[]'" : "''"}`,
    );
  }

  override async dropTable(name: string): Promise<void> {
    await this.sql.run(`DROP TABLE IF EXISTS ${q(name)}`);
  }

  override async createView(name: string, selectSql: string): Promise<void> {
    await this.sql.run(`CREATE VIEW ${q(name)} AS ${selectSql}`);
  }

  override async dropView(name: string): Promise<void> {
    await this.sql.run(`DROP VIEW IF EXISTS ${q(name)}`);
  }

  override async setIndexes(table: string, indexes: IndexSpec[]): Promise<void> {
    const current = await this.sql.query<{ name: string }>(
      `SELECT c.relname AS "name" FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace AND NOT i.indisprimary`,
      [table],
    );
    for (const { name } of current) {
      await this.sql.run(`DROP INDEX IF EXISTS ${q(name)}`);
    }
    for (const index of indexes) {
      await this.sql.run(indexSql(table, index));
    }
  }

  /**
   * A view's columns are described from its definition (`pg_get_viewdef`), not from the view: PostgreSQL then
   * reports the table column each one reads (through subqueries and joins); one read from another view is
   * followed into that view.
   */
  override async describe(name: string, depth = 0): Promise<DescribedColumn[]> {
    const [view] = await this.sql.query<{ def: string }>(
      `SELECT pg_get_viewdef(c.oid) AS "def" FROM pg_class c
        WHERE c.relname = ? AND c.relnamespace = current_schema()::regnamespace AND c.relkind = 'v'`,
      [name],
    );
    const source = view ? `(${view.def.replace(/;\s*$/, '')}) "_v"` : q(name);
    const result = await this.target.query({ text: `SELECT * FROM ${source} LIMIT 0`, rowMode: 'array' });
    const out: DescribedColumn[] = [];
    for (const field of result.fields) {
      const column: DescribedColumn = { name: field.name, type: TYPE_NAMES[field.dataTypeID] ?? '' };
      column.origin = field.tableID ? await this.origin(field.tableID, field.columnID, depth) : undefined;
      if (!column.origin) {
        delete column.origin;
      }
      out.push(column);
    }
    return out;
  }

  private async origin(
    tableId: number,
    columnId: number,
    depth: number,
  ): Promise<{ table: string; column: string } | undefined> {
    const [row] = await this.sql.query<{ t: string; c: string; k: string }>(
      `SELECT c.relname AS "t", a.attname AS "c", c.relkind::text AS "k" FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid WHERE a.attrelid = ? AND a.attnum = ?`,
      [tableId, columnId],
    );
    if (!row) {
      return undefined;
    }
    if (row.k !== 'v') {
      return { table: row.t, column: row.c };
    }
    if (depth > 8) {
      return undefined;
    }
    return (await this.describe(row.t, depth + 1)).find((c) => c.name === row.c)?.origin;
  }
}
