import { Injectable } from '@nestjs/common';
import { Database } from '@lib/database';
import { SettingsService } from '../settings/settings.service';
import { CollectionsService } from './collections.service';
import { readSchemaStamp } from './schema-stamp';

/**
 * Keeps this process's collection and settings caches in step with other processes writing the same
 * SQLite file (e.g. the records service beside the standalone server). SQLite's `data_version`
 * changes only when another connection commits, so in a single process this costs one pragma read
 * per request; the schema stamp (`readSchemaStamp`) is read only after a foreign commit, or at the
 * first check, and compared with the stamp each cache was loaded under.
 */
/**
 * How often a PostgreSQL-backed process looks for other processes' collection and settings changes while its
 * LISTEN session is down; with it, on a notice, and every `POSTGRES_SAFETY_MS` in any case.
 */
const POSTGRES_STAMP_MS = 250;
const POSTGRES_SAFETY_MS = 5000;

@Injectable()
export class StoreSync {
  private dataVersion: number | null = null;
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
    if (this.pending) {
      return this.pending;
    }
    const version = this.database.dataVersionThisTurn();
    if (version !== null && version === this.dataVersion) {
      return undefined;
    }
    if (version === null && this.database.engine === 'postgres') {
      return this.checkPostgres();
    }
    this.pending = this.check(version).finally(() => (this.pending = null));
    return this.pending;
  }

  /**
   * PostgreSQL: a collection this process doesn't know (`idOrName` from a route's `:collection`) may have been made
   * by another process an instant ago, its notice not read yet — a client that saw the create's answer through
   * one replica can reach this one first. The stamp is read now (concurrent misses share the read) before the
   * request goes on to answer 404. Undefined (nothing to await) on SQLite, where `data_version` is exact, and for a
   * known collection.
   */
  ensureKnown(idOrName: string | undefined): Promise<void> | undefined {
    if (!idOrName || this.database.engine !== 'postgres' || this.collections.find(idOrName)) {
      return undefined;
    }
    return this.readForUnknown(idOrName);
  }

  private knownRead: Promise<void> | null = null;

  private async readForUnknown(idOrName: string): Promise<void> {
    // A read already under way may have started before the commit this request follows: wait for it, then join
    // (or start) one that started after this request arrived.
    if (this.knownRead) {
      await this.knownRead;
      if (this.collections.find(idOrName)) {
        return;
      }
    }
    this.knownRead ??= this.reloadIfStale().finally(() => (this.knownRead = null));
    await this.knownRead;
  }

  /**
   * A mark of the database as of the last `ensureFresh()` (which must have just run): it differs whenever
   * what an auth token is verified against may have changed since: any commit by another process, and here
   * a write of an auth record, a collection or the settings, a schema transaction or a rollback
   * (`Database.sensitiveWriteCount`). Lets the verified-token cache outlive writes of other records.
   * Null where the driver can't tell.
   */
  changeMark(): string | null {
    const writes = this.database.sensitiveWriteCount();
    return writes === null || this.dataVersion === null ? null : `${this.dataVersion}:${writes}`;
  }

  /**
   * PostgreSQL has no `data_version`: the schema stamp itself is read when another process's commit to
   * `_collections` or `_params` was notified (LISTEN nb_schema: the notice arrives before a client that saw the
   * commit's answer can ask here), and every `POSTGRES_SAFETY_MS`; without the LISTEN session, at most once per
   * `POSTGRES_STAMP_MS`. This process's own changes show at once.
   */
  private checkPostgres(): Promise<void> | undefined {
    const now = performance.now();
    const mark = this.database.schemaNoticeMark();
    const since = now - this.stampReadAt;
    if (mark === null ? since < POSTGRES_STAMP_MS : mark === this.noticeMark && since < POSTGRES_SAFETY_MS) {
      return undefined;
    }
    this.noticeMark = mark;
    this.stampReadAt = now;
    this.pending = this.reloadIfStale().finally(() => (this.pending = null));
    return this.pending;
  }

  private stampReadAt = -Infinity;
  private noticeMark: number | null = null;

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
    const stamp = await readSchemaStamp(this.database);
    if (stamp.collections !== this.collections.loadedStamp()) {
      await this.collections.reload();
    }
    const settings = this.settings.loadedStamp();
    if (settings !== null && settings !== stamp.settings) {
      this.settings.invalidate();
    }
  }
}
