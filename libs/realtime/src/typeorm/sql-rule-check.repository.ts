import { Injectable } from '@nestjs/common';
import { Database, quoteIdentifier } from '@lib/database';
import { FIELD_KINDS, type CollectionModel } from '@lib/schema';
import { RuleCheckRepository } from '../rule-check.repository';

/** SQLite caps a compound SELECT at 500 terms and a statement at 32766 parameters. */
const MAX_TERMS = 400;
const MAX_PARAMS = 30000;

const quote = quoteIdentifier;

type ColumnType = 'text' | 'numeric' | 'boolean' | 'json';
const SQLITE_CASTS: Record<ColumnType, string> = {
  text: 'CAST(? AS TEXT)',
  numeric: 'CAST(? AS NUMERIC)',
  boolean: 'CAST(? AS NUMERIC)',
  json: '?',
};
/** The column types nestbase's tables have on PostgreSQL (what the compiled rule expects of each column). */
const POSTGRES_CASTS: Record<ColumnType, string> = {
  text: 'CAST(? AS TEXT)',
  numeric: 'CAST(? AS DOUBLE PRECISION)',
  boolean: 'CAST(CAST(? AS INTEGER) AS BOOLEAN)',
  json: 'CAST(? AS JSONB)',
};

/**
 * The snapshot as a one-row CTE with the table's column affinities (`CAST(? AS TEXT|NUMERIC)`), and one
 * `UNION ALL` term per parameter set: `SELECT k FROM row r WHERE (rule)`. Joined tables are the live ones.
 */
@Injectable()
export class SqlRuleCheckRepository extends RuleCheckRepository {
  constructor(private readonly database: Database) {
    super();
  }

  override async matches(
    c: CollectionModel,
    record: Record<string, unknown>,
    sql: string,
    paramSets: unknown[][],
  ): Promise<boolean[]> {
    const columns: string[] = [];
    const rowParams: unknown[] = [];
    for (const f of c.fields) {
      const kind = FIELD_KINDS[f.type];
      const type = kind.column(f).type;
      const cast = this.database.engine === 'postgres' ? POSTGRES_CASTS[type] : SQLITE_CASTS[type];
      columns.push(`${cast} AS ${quote(f.name)}`);
      rowParams.push(kind.toDb(record[f.name], f) ?? null);
    }
    const head = `WITH "_rt_row" AS (SELECT ${columns.join(', ')}) `;
    const out = new Array<boolean>(paramSets.length).fill(false);
    const perSet = Math.max(1, paramSets[0]?.length ?? 0);
    const chunk = Math.max(1, Math.min(MAX_TERMS, Math.floor((MAX_PARAMS - rowParams.length) / perSet)));
    for (let start = 0; start < paramSets.length; start += chunk) {
      const sets = paramSets.slice(start, start + chunk);
      const terms = sets.map((_, i) => `SELECT ${start + i} AS "k" FROM "_rt_row" "r" WHERE (${sql})`);
      const rows = await this.database.query<{ k: number }>(head + terms.join(' UNION ALL '), [
        ...rowParams,
        ...sets.flat(),
      ]);
      for (const row of rows) {
        out[Number(row.k)] = true;
      }
    }
    return out;
  }
}
