import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig, AppRestart, BadRequestError } from '@lib/core';
import { sqliteIntact } from '../logs/sqlite/sqlite-check';
import { inspectArchive } from './backup-extract';
import type { BackupTarget } from './backup-store';
import { copyDatabase } from '../dbcopy/db-copy';
import { BackupMaker } from './backup-maker';
import { swapDataDir } from './data-dir-swap';
import { RestoreNotice } from './restore-notice';

/**
 * Restores a backup: the archive is checked and extracted into a staging directory first (any problem: a 400
 * and nothing changed); then, with the app stopped, the staged content is swapped in and the app restarts
 * in-process on the restored data. On PostgreSQL the archive's `data.db` (a SQLite database, whichever database
 * made the backup) is copied into PostgreSQL, replacing its data, while the app is stopped.
 */
@Injectable()
export class BackupRestorer {
  private readonly logger = new Logger('backups');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly maker: BackupMaker,
    @Optional() private readonly app?: AppRestart,
  ) {}

  get canRestart(): boolean {
    return this.app !== undefined;
  }

  /** Validates and extracts `key`; resolves with the staging directory to swap in. */
  async stage(target: BackupTarget, key: string): Promise<string> {
    const staging = await this.maker.scratch('restore_');
    let download: string | null = null;
    try {
      let zip = target.dir ? path.join(target.dir, key) : '';
      if (!target.dir) {
        const read = await target.storage.get(key);
        if (!read) {
          throw new BadRequestError('Missing or invalid backup file.');
        }
        download = `${staging}.zip`;
        await pipeline(read.stream, createWriteStream(download));
        zip = download;
      }
      await inspectArchive(zip, staging);
      if (!sqliteIntact(path.join(staging, 'data.db'))) {
        throw new BadRequestError('Invalid backup archive: data.db is not an intact SQLite database.');
      }
      return staging;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    } finally {
      if (download) {
        await rm(download, { force: true });
      }
    }
  }

  /** Swaps `staging` in with the app stopped, then starts it again (without a restartable app: swap only). */
  async apply(staging: string): Promise<void> {
    const swap = async () => {
      if (this.config.db.url) {
        // PostgreSQL: the archive's data.db replaces the database's data in one transaction (a failure: as it was)
        await copyDatabase(path.join(staging, 'data.db'), this.config.db.url, { replace: true });
        await rm(path.join(staging, 'data.db'), { force: true });
      }
      await swapDataDir(this.config.dataDir, staging);
    };
    try {
      if (this.app) {
        // the app that starts on the restored data tells the other processes on this directory to reopen it
        RestoreNotice.pending = true;
        await this.app.restart(swap);
      } else {
        await swap();
      }
      this.logger.log(`restored the data directory from a backup`);
    } catch (error) {
      RestoreNotice.pending = false;
      this.logger.error(`restore failed: ${(error as Error).stack ?? String(error)}`);
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
}
