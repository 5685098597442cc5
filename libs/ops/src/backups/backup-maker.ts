import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, randomString } from '@lib/core';
import { Database } from '@lib/database';
import { copyDatabase } from '../dbcopy/db-copy';
import { LogRepository } from '../logs/log.repository';
import { LogWriter } from '../logs/log-writer';
import { filesUnder, readTransient, writeArchive, type ArchiveFile } from './backup-archive';

/** The upload journal's folder in the archive: its notes and logs come and go as writes run. */
const JOURNAL = 'storage/.upload-journal/';

/**
 * Builds a backup zip of the data directory: `data.db` and `auxiliary.db` as consistent snapshots taken with
 * SQLite's online backup API while writes go on, plus the local files under `storage/`. On PostgreSQL `data.db` is
 * the same SQLite database, written by `copyDatabase` from one REPEATABLE READ snapshot: a backup restores on
 * either database. The logs (PostgreSQL's `_logs`) are not in it there: no `auxiliary.db`.
 */
@Injectable()
export class BackupMaker {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly database: Database,
    private readonly logs: LogRepository,
    private readonly writer: LogWriter,
  ) {}

  /** A fresh scratch directory inside the data directory (renames from it stay on one filesystem). */
  async scratch(prefix: string): Promise<string> {
    const dir = path.join(this.config.dataDir, '.tmp', `${prefix}${randomString(10)}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Writes the archive to a new scratch file and gives its path (the caller moves or removes it). */
  async make(onBytes?: (bytes: number) => void): Promise<string> {
    const work = await this.scratch('backup_');
    try {
      const snapshot = path.join(work, 'snapshot');
      await mkdir(snapshot);
      if (this.database.engine === 'postgres') {
        await copyDatabase(this.config.db.url, path.join(snapshot, 'data.db'));
      } else {
        await this.database.backupTo(path.join(snapshot, 'data.db'));
      }
      // the logs database with what is buffered so far (not on PostgreSQL: no flush, no logs)
      if (this.logs.inBackups) {
        await this.writer.flush();
        await this.logs.backupTo(path.join(snapshot, 'auxiliary.db'));
      }
      const files: ArchiveFile[] = [
        { name: 'data.db', file: path.join(snapshot, 'data.db') },
        ...(this.logs.inBackups ? [{ name: 'auxiliary.db', file: path.join(snapshot, 'auxiliary.db') }] : []),
        ...(await readTransient(await filesUnder(path.join(this.config.dataDir, 'storage'), 'storage/'), (name) =>
          name.startsWith(JOURNAL),
        )),
      ];
      const zip = `${work}.zip`;
      await writeArchive(zip, files, onBytes);
      return zip;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
