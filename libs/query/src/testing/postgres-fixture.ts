import { Pool } from 'pg';
import { isMultiple, type FieldModel, type FieldType } from '@lib/schema';
import { postgresDialect } from '../postgres-dialect';
import { POSTGRES_SUPPORT_SQL, toPostgresPlaceholders } from '../postgres-support';
import { QueryCompiler } from '../query-compiler';
import type { CompileOptions, RequestInfo } from '../query.types';
import { allCollections, DATA, posts, request, schema } from './fixture';

/** The fixture's collections and rows in a PostgreSQL database, with the column types nestbase gives them there. */
export function postgresColumnType(f: FieldModel): string {
  if (f.name === 'id') {
    return 'TEXT COLLATE "C" PRIMARY KEY NOT NULL';
  }
  if (isMultiple(f)) {
    return `JSONB NOT NULL DEFAULT '[]'`;
  }
  const byType: Partial<Record<FieldType, string>> = {
    number: 'DOUBLE PRECISION NOT NULL DEFAULT 0',
    bool: 'BOOLEAN NOT NULL DEFAULT FALSE',
    json: 'JSONB DEFAULT NULL',
    geoPoint: `JSONB NOT NULL DEFAULT '{"lon":0,"lat":0}'`,
  };
  return byType[f.type] ?? `TEXT COLLATE "C" NOT NULL DEFAULT ''`;
}

/** The SQL cast of a bound value for a column (text for everything the driver sends as a string). */
function castFor(f: FieldModel | undefined): string {
  const type = f ? postgresColumnType(f) : 'TEXT';
  return type.startsWith('JSONB') ? '::jsonb' : type.startsWith('BOOLEAN') ? '::int::boolean' : '';
}

export interface PostgresRunner {
  pool: Pool;
  compiler: QueryCompiler;
  /** Sorted ids of `collection` rows matching `expr` (as the SQLite runner's `ids`). */
  ids(expr: string, opts?: Partial<CompileOptions>, req?: RequestInfo): Promise<string[]>;
  /** Ids in the order of the `sort` param. */
  sorted(sort: string, opts?: Partial<CompileOptions>, req?: RequestInfo): Promise<string[]>;
}

/** Creates the support functions and the fixture tables with their rows, in `schemaName` of the database at `url`. */
export async function postgresRunner(url: string, schemaName = 'public'): Promise<PostgresRunner> {
  const pool = new Pool({ connectionString: url, max: 2, options: `-c search_path=${schemaName},public` });
  pool.on('error', () => undefined); // an idle client's connection ending with the server: nothing to do
  await pool.query(POSTGRES_SUPPORT_SQL);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
  for (const c of allCollections) {
    const columns = c.fields.map((f) => `"${f.name}" ${postgresColumnType(f)}`).join(', ');
    await pool.query(`CREATE TABLE "${c.name}" (${columns})`);
    for (const row of DATA[c.name] ?? []) {
      const keys = Object.keys(row);
      const values = keys.map((k, i) => `$${i + 1}${castFor(c.fields.find((f) => f.name === k))}`);
      const cols = keys.map((k) => `"${k}"`).join(', ');
      const params = keys.map((k) => {
        const v = row[k];
        return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
      });
      await pool.query(`INSERT INTO "${c.name}" (${cols}) VALUES (${values.join(', ')})`, params);
    }
  }
  const compiler = new QueryCompiler(postgresDialect);
  const run = async (sql: string, params: unknown[]): Promise<string[]> => {
    const result = await pool.query<{ id: string }>(toPostgresPlaceholders(sql), params);
    return result.rows.map((r) => r.id);
  };
  const full = (opts: Partial<CompileOptions>, mode: CompileOptions['mode']): CompileOptions => ({
    collection: posts,
    schema,
    mode,
    isSuperuser: false,
    alias: 'r',
    ...opts,
  });
  return {
    pool,
    compiler,
    async ids(expr, opts = {}, req = request()) {
      const o = full(opts, 'rule');
      const compiled = compiler.compile(expr, o);
      const params = compiled.bind(req);
      return run(
        `SELECT "r"."id" AS id FROM "${o.collection.name}" "r" WHERE ${compiled.sql} ORDER BY "r"."id"`,
        params,
      );
    },
    async sorted(sort, opts = {}, req = request()) {
      const o = full(opts, 'filter');
      const compiled = compiler.compileSort(sort, o);
      return run(`SELECT "r"."id" AS id FROM "${o.collection.name}" "r" ORDER BY ${compiled.sql}`, compiled.bind(req));
    },
  };
}
