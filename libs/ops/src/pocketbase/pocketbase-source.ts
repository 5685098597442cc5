import { existsSync } from 'node:fs';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { snapshotSqlite } from '@lib/database';
import { fromCollectionRow, type PbCollection } from './pb-collections';

/** The source can't be imported (not a PocketBase data dir, or one older than v0.23). */
export class PocketBaseSourceError extends Error {}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A read-only, copy-consistent snapshot of a PocketBase data dir's `data.db`: copied in one read transaction on a
 * read-only connection (`snapshotSqlite`, SQLite's `VACUUM INTO`), so a PocketBase still running and writing
 * neither blocks the import nor shows it half a write; then read from the copy.
 */
export class PocketBaseSource {
  private constructor(
    readonly dataDir: string,
    private readonly db: BetterSqlite3.Database,
  ) {}

  static async open(dataDir: string, snapshotFile: string): Promise<PocketBaseSource> {
    const file = path.join(dataDir, 'data.db');
    if (!existsSync(file)) {
      throw new PocketBaseSourceError(`no data.db in ${dataDir}: not a PocketBase data dir`);
    }
    try {
      await snapshotSqlite(file, snapshotFile);
    } catch (error) {
      throw new PocketBaseSourceError(`can't read ${file}: ${(error as Error).message}`);
    }
    const db = new BetterSqlite3(snapshotFile, { readonly: true, fileMustExist: true });
    const source = new PocketBaseSource(dataDir, db);
    try {
      source.checkVersion();
    } catch (error) {
      db.close();
      throw error;
    }
    return source;
  }

  private checkVersion(): void {
    const columns = this.columns('_collections');
    if (columns.length === 0) {
      throw new PocketBaseSourceError(`${this.dataDir}/data.db has no _collections table: not a PocketBase data dir`);
    }
    if (!columns.includes('fields')) {
      throw new PocketBaseSourceError(
        `${this.dataDir} is from PocketBase before v0.23 (no _collections.fields): start it once with PocketBase v0.23 or later to upgrade it, then import`,
      );
    }
  }

  collections(): PbCollection[] {
    const rows = this.db.prepare('SELECT * FROM "_collections" ORDER BY "created", "rowid"').all();
    return (rows as Record<string, unknown>[]).map(fromCollectionRow);
  }

  /** The raw `settings` value of `_params` (JSON text, or ciphertext when PocketBase encrypts it), or null. */
  settingsValue(): unknown {
    const row = this.db.prepare('SELECT "value" FROM "_params" WHERE "id" = ?').get('settings') as
      { value: unknown } | undefined;
    // PocketBase writes it as a BLOB (Go's []byte).
    return Buffer.isBuffer(row?.value) ? row.value.toString('utf8') : (row?.value ?? null);
  }

  /** The `pb_migrations` files PocketBase applied (its own Go migrations left out). */
  appMigrations(): { file: string; applied: number }[] {
    if (this.columns('_migrations').length === 0) {
      return [];
    }
    const rows = this.db.prepare('SELECT "file", "applied" FROM "_migrations" ORDER BY "applied", "file"').all();
    return (rows as { file: string; applied: number }[]).filter((r) => !r.file.endsWith('.go'));
  }

  /** A table's column names (none when it doesn't exist). */
  columns(table: string): string[] {
    return (this.db.prepare('SELECT "name" FROM pragma_table_info(?)').all(table) as { name: string }[]).map(
      (r) => r.name,
    );
  }

  count(table: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${ident(table)}`).get() as { n: number }).n;
  }

  /** A table's rows one at a time, in rowid order. */
  rows(table: string): IterableIterator<Record<string, unknown>> {
    return this.db.prepare(`SELECT * FROM ${ident(table)} ORDER BY "rowid"`).iterate() as IterableIterator<
      Record<string, unknown>
    >;
  }

  close(): void {
    this.db.close();
  }
}
