import { Injectable } from '@nestjs/common';
import { Database } from '@lib/database';
import { SettingsService } from '../settings/settings.service';
import { CollectionsService } from './collections.service';

/**
 * Keeps this process's collection and settings caches in step with other processes writing the same
 * SQLite file (e.g. the records service beside the standalone server). SQLite's `data_version`
 * changes only when another connection commits, so in a single process this costs one pragma read
 * per request; the fingerprints are read only after a foreign commit.
 */
@Injectable()
export class StoreSync {
  private dataVersion: number | null = null;
  private fingerprint = '';
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
    const version = this.database.dataVersion();
    if (version !== null && version === this.dataVersion) {
      return undefined;
    }
    this.pending = this.check(version).finally(() => (this.pending = null));
    return this.pending;
  }

  /**
   * A mark of the database as of the last `ensureFresh()` (which must have just run): it differs
   * whenever something may have changed since, in this process or another. Lets a cache of data read
   * after that call (verified tokens) be reused until any write. Null where the driver can't tell.
   */
  changeMark(): string | null {
    const writes = this.database.writeCount();
    return writes === null || this.dataVersion === null ? null : `${this.dataVersion}:${writes}`;
  }

  private async check(known: number | null): Promise<void> {
    const version =
      known ?? (await this.database.query<{ data_version: number }>('PRAGMA data_version'))[0].data_version;
    if (version === this.dataVersion) {
      return;
    }
    const first = this.dataVersion === null;
    this.dataVersion = version;
    const [row] = await this.database.query<{ c: string; s: string | null }>(
      `SELECT (SELECT COUNT(*) || ':' || COALESCE(MAX("updated"), '') FROM "_collections") AS "c",
              (SELECT "updated" FROM "_params" WHERE "id" = 'settings') AS "s"`,
    );
    const fingerprint = `${row.c}|${row.s ?? ''}`;
    if (!first && fingerprint !== this.fingerprint) {
      await this.collections.reload();
      this.settings.invalidate();
    }
    this.fingerprint = fingerprint;
  }
}
