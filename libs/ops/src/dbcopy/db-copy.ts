import {
  AUTH_WRITES_TABLE,
  openCopySource,
  SCHEMA_WRITES_TABLE,
  quoteIdentifier as q,
  type CopySource,
  type TxExecutor,
} from '@lib/database';
import { FIELD_KINDS, parseIndex, type CollectionModel, type ParsedIndex } from '@lib/schema';
import { bindValue, TableChecksum, type CopyColumn } from './copy-values';
import { COPIED_SYSTEM_TABLES, openCopyTarget, type CopyTarget } from './copy-target';

/** A copy that can't be made or didn't verify: the target is left as it was. */
export class DbCopyError extends Error {}

export type CopyProgress = (label: string, done: number, total: number) => void;

export interface CopyOptions {
  /** Replace a target that already holds data (else such a target is refused). */
  replace?: boolean;
  progress?: CopyProgress;
}

export interface CopiedTable {
  name: string;
  /** Rows copied (a view: the rows it shows on the source). */
  rows: number;
  /** The checksum both sides agreed on (empty for a view). */
  checksum: string;
  view: boolean;
}

export interface CopyReport {
  tables: CopiedTable[];
  /** What was not copied or differs, one line each. */
  notes: string[];
}

interface TablePlan {
  name: string;
  columns: CopyColumn[];
  /** The column the target is read back in order of (unique). */
  key: string;
}

const text = (name: string): CopyColumn => ({ name, kind: 'text' });
const SYSTEM_PLANS: TablePlan[] = [
  {
    name: '_collections',
    columns: [...['id', 'name', 'type', 'data', 'created', 'updated'].map(text), { name: 'system', kind: 'boolean' }],
    key: 'id',
  },
  { name: '_params', columns: ['id', 'value', 'created', 'updated'].map(text), key: 'id' },
  { name: '_migrations', columns: [text('file'), { name: 'applied', kind: 'numeric' }], key: 'file' },
];
/**
 * TypeORM's list of nestbase's own schema steps and PostgreSQL's auth-write counter: the target's start-up made
 * them already.
 */
const OWN_BOOKKEEPING = ['_typeorm_migrations', AUTH_WRITES_TABLE, SCHEMA_WRITES_TABLE];
/** The request logs on PostgreSQL: not copied (as `auxiliary.db` stays in its data dir), and not worth a note. */
const LOGS = '_logs';

async function sourceCollections(source: CopySource): Promise<CollectionModel[]> {
  const rows = await source.query('SELECT "id", "name", "type", "system", "data", "created" FROM "_collections"');
  return rows
    .map((r) => ({
      ...(JSON.parse(String(r.data)) as CollectionModel),
      id: String(r.id),
      name: String(r.name),
      type: r.type as CollectionModel['type'],
      created: String(r.created),
    }))
    .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));
}

function tablePlan(c: CollectionModel): TablePlan {
  const columns = c.fields.map((f) => FIELD_KINDS[f.type].column(f)).map((s) => ({ name: s.name, kind: s.type }));
  return { name: c.name, columns, key: 'id' };
}

async function checkColumns(source: CopySource, plan: TablePlan): Promise<void> {
  const present = new Set(await source.columns(plan.name));
  const missing = plan.columns.filter((c) => !present.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new DbCopyError(`table "${plan.name}" of the source lacks column(s) ${missing.join(', ')}`);
  }
}

/** Writes `plan`'s rows in multi-row INSERTs; resolves with the source side's checksum. */
async function copyRows(
  source: CopySource,
  tx: TxExecutor,
  plan: TablePlan,
  onRows: (n: number) => void,
  count: number,
): Promise<TableChecksum> {
  const checksum = new TableChecksum(plan.columns);
  const names = plan.columns.map((c) => q(c.name)).join(', ');
  const tuple = `(${plan.columns.map(() => '?').join(', ')})`;
  const perInsert = Math.max(1, Math.min(500, Math.floor(20_000 / plan.columns.length)));
  for await (const page of source.rows(
    plan.name,
    plan.columns.map((c) => c.name),
    count,
  )) {
    for (let i = 0; i < page.length; i += perInsert) {
      const batch = page.slice(i, i + perInsert);
      const params = batch.flatMap((row) => plan.columns.map((c) => bindValue(c.kind, row[c.name])));
      await tx.run(`INSERT INTO ${q(plan.name)} (${names}) VALUES ${batch.map(() => tuple).join(', ')}`, params);
      batch.forEach((row) => checksum.add(row));
      onRows(batch.length);
    }
  }
  return checksum;
}

/** The target's side of the checksum, read back inside the transaction (keyset pages on the key column). */
async function targetChecksum(tx: TxExecutor, plan: TablePlan, onRows: (n: number) => void): Promise<TableChecksum> {
  const checksum = new TableChecksum(plan.columns);
  const list = plan.columns.map((c) => q(c.name)).join(', ');
  const key = q(plan.key);
  let after: unknown = null;
  for (;;) {
    const rows: Record<string, unknown>[] = await tx.query(
      `SELECT ${list} FROM ${q(plan.name)}${after === null ? '' : ` WHERE ${key} > ?`} ORDER BY ${key} LIMIT 1000`,
      after === null ? [] : [after],
    );
    rows.forEach((row) => checksum.add(row));
    onRows(rows.length);
    if (rows.length < 1000) {
      return checksum;
    }
    after = rows[rows.length - 1][plan.key];
  }
}

async function createStorage(tx: TxExecutor, c: CollectionModel, engine: string): Promise<void> {
  if (c.type !== 'view') {
    const indexes = c.indexes.map((sql) => parseIndex(sql) as ParsedIndex);
    await tx.ddl.createTable(
      c.name,
      c.fields.map((f) => FIELD_KINDS[f.type].column(f)),
      indexes,
    );
    return;
  }
  try {
    await tx.ddl.createView(c.name, c.viewQuery ?? '');
  } catch (error) {
    throw new DbCopyError(
      `view collection "${c.name}": its query doesn't run on ${engine} (${(error as Error).message}); ` +
        `rewrite it for ${engine} on the source, then copy again`,
    );
  }
}

/**
 * Copies a whole nestbase database — system tables, every collection's table (with its indexes) or view, and
 * their rows — from `from` to `to` (each a `postgres://` URL or a SQLite database file) in one transaction at the
 * target, read from one consistent snapshot of the source. Before the commit each table's row count and checksum
 * (over normalised values) are computed from both sides and compared: any difference, or any failure, leaves the
 * target as it was.
 */
export async function copyDatabase(from: string, to: string, options: CopyOptions = {}): Promise<CopyReport> {
  const progress = options.progress ?? (() => undefined);
  const { source, collections } = await steadySource(from);
  let target: CopyTarget | undefined;
  try {
    target = await openCopyTarget(to);
    if (!options.replace && !(await target.isEmpty())) {
      throw new DbCopyError(`${target.label} already holds data: pass --replace to replace it`);
    }
    const tables = collections.filter((c) => c.type !== 'view');
    const plans = [...SYSTEM_PLANS, ...tables.map(tablePlan)];
    const notes = await uncopiedTables(source, collections);
    const counts = new Map((await source.counts(plans.map((p) => p.name))).map((n, i) => [plans[i].name, n]));
    const views = collections.filter((c) => c.type === 'view');
    const viewCounts = new Map((await source.counts(views.map((v) => v.name))).map((n, i) => [views[i].name, n]));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const engine = target.engine === 'postgres' ? 'PostgreSQL' : 'SQLite';
    const copied = await target.transaction(async (tx) => {
      await target!.clear(tx);
      for (const c of tables) {
        await createStorage(tx, c, engine);
      }
      let done = 0;
      const sums = new Map<string, TableChecksum>();
      for (const plan of plans) {
        const onRows = (n: number) => progress('copying rows', (done += n), total);
        sums.set(plan.name, await copyRows(source, tx, plan, onRows, counts.get(plan.name)!));
      }
      for (const v of views) {
        await createStorage(tx, v, engine);
      }
      let checked = 0;
      const result: CopiedTable[] = [];
      for (const plan of plans) {
        const theirs = sums.get(plan.name)!;
        const ours = await targetChecksum(tx, plan, (n) => progress('verifying', (checked += n), total));
        if (theirs.rows !== counts.get(plan.name) || ours.rows !== theirs.rows || ours.hex !== theirs.hex) {
          throw new DbCopyError(
            `verification failed for "${plan.name}": source ${counts.get(plan.name)} row(s) (read ${theirs.rows}, ` +
              `checksum ${theirs.hex}), target ${ours.rows} row(s) (checksum ${ours.hex}); nothing was changed`,
          );
        }
        result.push({ name: plan.name, rows: ours.rows, checksum: ours.hex, view: false });
      }
      for (const v of views) {
        const rows = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${q(v.name)}`);
        const n = Number(rows[0].n);
        if (n !== viewCounts.get(v.name)) {
          notes.push(`view "${v.name}": ${viewCounts.get(v.name)} row(s) on the source, ${n} on the target`);
        }
        result.push({ name: v.name, rows: n, checksum: '', view: true });
      }
      return result;
    });
    await target.commit();
    return { tables: copied, notes };
  } catch (error) {
    await target?.abort();
    throw error;
  } finally {
    await source.close();
  }
}

/** Tries at `steadySource` before a schema that keeps changing fails the copy. */
const STEADY_TRIES = 5;

/**
 * The source opened on its snapshot with its collections, their tables held (`CopySource.hold`) and their columns
 * checked. On PostgreSQL a collection changed or deleted between the snapshot and the hold (a table gone, or not as
 * the snapshot's `_collections` describes it) starts it again on a newer snapshot: a backup taken while other
 * processes change the schema.
 */
async function steadySource(from: string): Promise<{ source: CopySource; collections: CollectionModel[] }> {
  for (let attempt = 1; ; attempt++) {
    const source = await openCopySource(from);
    try {
      const collections = await sourceCollections(source);
      await source.hold(collections.map((c) => c.name));
      for (const plan of [...SYSTEM_PLANS, ...collections.filter((c) => c.type !== 'view').map(tablePlan)]) {
        await checkColumns(source, plan);
      }
      return { source, collections };
    } catch (error) {
      await source.close();
      if (source.engine !== 'postgres' || attempt >= STEADY_TRIES || !schemaMoved(error)) {
        throw error;
      }
    }
  }
}

/** A table gone (42P01), one locked by a schema change for too long (55P03), or columns not as described. */
function schemaMoved(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '42P01' || code === '55P03' || error instanceof DbCopyError;
}

/** The source's tables that belong to no collection (and aren't system tables): named, not copied. */
async function uncopiedTables(source: CopySource, collections: CollectionModel[]): Promise<string[]> {
  const known = new Set([...COPIED_SYSTEM_TABLES, ...OWN_BOOKKEEPING, LOGS, ...collections.map((c) => c.name)]);
  return (await source.tables())
    .filter((t) => !known.has(t.name))
    .map((t) => `${t.view ? 'view' : 'table'} "${t.name}": not part of any collection, not copied`);
}
