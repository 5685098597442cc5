import { Injectable } from '@nestjs/common';
import { Database } from '@lib/database';
import { SettingsService } from '../settings/settings.service';
import { CollectionsService } from './collections.service';
import { readPostgresStamp, readSchemaStamp } from './schema-stamp';

/**
 * Keeps this process's collection and settings caches in step with other processes writing the same
 * SQLite file (e.g. the records service beside the standalone server). SQLite's `data_version`
 * changes only when another connection commits, so in a single process this costs one pragma read
 * per request; the schema stamp (`readSchemaStamp`) is read only after a foreign commit, or at the
 * first check, and compared with the stamp each cache was loaded under. PostgreSQL has no `data_version`:
 * there each request waits for a stamp read that started after it arrived (`checkPostgres`).
 */
@Injectable()
export class StoreSync {
  private dataVersion: number | null = null;
  /** PostgreSQL: the auth-write counter and schema stamp of the last stamp read (see `changeMark`). */
  private postgresMark: string | null = null;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly collections: CollectionsService,
    private readonly settings: SettingsService,
  ) {}

  /**
   * Reloads the caches if another process changed collections or settings since the last call. In the
   * common case (nothing changed) it answers synchronously with `undefined`: nothing to await.
   */
  ensureFresh(): Promise<void> | undefined {
    if (this.database.engine === 'postgres') {
      return this.checkPostgres();
    }
    if (this.pending) {
      return this.pending;
    }
    const version = this.database.dataVersionThisTurn();
    if (version !== null && version === this.dataVersion) {
      return undefined;
    }
    this.pending = this.check(version).finally(() => (this.pending = null));
    return this.pending;
  }

  /**
   * A mark of the database as of the last `ensureFresh()` (which must have just run): it differs whenever
   * what an auth token is verified against may have changed since: any commit by another process, and here
   * a write of an auth record, a collection or the settings, a schema transaction or a rollback
   * (`Database.sensitiveWriteCount`). Lets the verified-token cache outlive writes of other records.
   * On PostgreSQL the other processes' part is the auth-write counter (bumped in the writing transaction by a
   * trigger on every auth collection's table, see `POSTGRES_AUTH_WRITES_SQL`) and the schema stamp, read by the
   * stamp read this request waited for: any such commit another process answered before this request arrived
   * is in it. Null where the driver can't tell.
   */
  changeMark(): string | null {
    const writes = this.database.sensitiveWriteCount();
    const others = this.database.engine === 'postgres' ? this.postgresMark : this.dataVersion;
    return writes === null || others === null ? null : `${others}:${writes}`;
  }

  /**
   * PostgreSQL has no `data_version`, and a notice from another process (LISTEN/NOTIFY) could arrive after a client that saw
   * that process's answer asks here. So a request waits for a schema stamp read that started after it arrived:
   * the one about to start when none is under way, else the next one, which starts when the current one ends and
   * serves every request that arrived meanwhile (under load, one read per round trip serves many requests).
   */
  private checkPostgres(): Promise<void> {
    if (!this.stampRead) {
      return this.readStamp();
    }
    this.nextStampRead ??= this.stampRead
      .catch(() => undefined)
      .then(() => {
        this.nextStampRead = null;
        return this.readStamp();
      });
    return this.nextStampRead;
  }

  private stampRead: Promise<void> | null = null;
  private nextStampRead: Promise<void> | null = null;

  private readStamp(): Promise<void> {
    const read = this.reloadIfStale().finally(() => {
      if (this.stampRead === read) {
        this.stampRead = null;
      }
    });
    this.stampRead = read;
    return read;
  }

  private async check(known: number | null): Promise<void> {
    const version =
      known ?? (await this.database.query<{ data_version: number }>('PRAGMA data_version'))[0].data_version;
    if (version === this.dataVersion) {
      return;
    }
    this.dataVersion = version;
    await this.reloadIfStale();
  }

  private async reloadIfStale(): Promise<void> {
    // Each cache is compared with the stamp it was loaded under, not with what an earlier check saw: a change
    // made between a cache's load and this process's first check is as visible as any later one.
    const postgres = this.database.engine === 'postgres' ? await readPostgresStamp(this.database.stampReads) : null;
    const stamp = postgres ?? (await readSchemaStamp(this.database));
    if (stamp.collections !== this.collections.loadedStamp()) {
      await this.collections.reload();
    }
    const settings = this.settings.loadedStamp();
    if (settings !== null && settings !== stamp.settings) {
      // Loaded again at once, not left empty: synchronous readers of `cached()` (the batch body limit, the rate
      // limits, hooks) would otherwise see no settings and apply the defaults until something called `get()`.
      this.settings.invalidate();
      await this.settings.get();
    }
    if (postgres) {
      // Set once the caches are reloaded: a request marks what it verifies with data at least this new.
      const { authWrites, collections, settings: stored } = postgres;
      this.postgresMark = authWrites === null ? null : `${authWrites}|${collections}|${stored}`;
      this.database.notePostgresSnapshot(postgres.snapshot);
    }
  }
}
