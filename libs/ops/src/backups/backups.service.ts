import { rm } from 'node:fs/promises';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { BadRequestError, Clock, fireHook, formatDate, HookPoints, type UploadedFile } from '@lib/core';
import { Database } from '@lib/database';
import type { FileRead } from '@lib/storage';
import { checkKey, checkNewName, defaultName, nameExists } from './backup-names';
import { BackupMaker } from './backup-maker';
import { BackupRestorer } from './backup-restorer';
import { BackupStore } from './backup-store';

export interface BackupInfo {
  key: string;
  size: number;
  modified: string;
}

const BUSY = 'Try again later - another backup/restore process has already been started.';
/**
 * The PostgreSQL advisory lock a backup or restore holds (next to libs/database's migration and schema locks): the
 * records replicas sharing the database run one at a time between them.
 */
const BACKUP_LOCK = 7_301_991_206;

/**
 * The backups API: one backup or restore at a time, in this process and, on PostgreSQL, across every process on
 * the database (the records service runs them).
 */
@Injectable()
export class BackupsService {
  private active: string | null = null;

  constructor(
    private readonly store: BackupStore,
    private readonly maker: BackupMaker,
    private readonly restorer: BackupRestorer,
    private readonly clock: Clock,
    private readonly database: Database,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  get busy(): boolean {
    return this.active !== null;
  }

  async list(): Promise<BackupInfo[]> {
    const { storage } = await this.store.current();
    const files = await storage.list('').catch((error: Error) => {
      throw new BadRequestError(`Failed to retrieve backup items. Raw error: \n${error.message}`);
    });
    return files
      .filter((f) => !f.key.includes('/') && f.key.endsWith('.zip'))
      .sort((a, b) => b.modified.getTime() - a.modified.getTime())
      .map((f) => ({ key: f.key, size: f.size, modified: formatDate(f.modified) }));
  }

  /**
   * Creates a backup named `name` (default `pb_backup_<UTC stamp>.zip`); resolves once it is stored. The
   * `onBackupCreate` hooks (`e.name`) run around it.
   */
  async create(name?: string, onBytes?: (bytes: number) => void, auto = false): Promise<string> {
    const key = name || defaultName('pb_backup_', this.clock.date());
    if (!auto) {
      checkNewName(key);
    }
    return fireHook(this.hooks, 'onBackupCreate', { name: key }, () => this.make(key, onBytes));
  }

  private make(key: string, onBytes?: (bytes: number) => void): Promise<string> {
    return this.exclusive(key, async () => {
      const { storage } = await this.store.current();
      if (await storage.exists(key)) {
        throw nameExists();
      }
      const zip = await this.maker.make(onBytes);
      try {
        await storage.putFile(key, zip, { contentType: 'application/zip' });
      } finally {
        await rm(zip, { force: true });
      }
      return key;
    });
  }

  async upload(file: UploadedFile | undefined): Promise<void> {
    if (!file) {
      throw new BadRequestError('An error occurred while validating the submitted data.', {
        file: { code: 'validation_required', message: 'Missing required value.' },
      });
    }
    const key = file.filename;
    checkNewName(key, 'file');
    if (file.mimetype !== 'application/zip' && file.clientType !== 'application/zip') {
      throw new BadRequestError('An error occurred while validating the submitted data.', {
        file: { code: 'validation_invalid_mime_type', message: 'The file must be a zip archive.' },
      });
    }
    const { storage } = await this.store.current();
    if (await storage.exists(key)) {
      throw nameExists('file');
    }
    await storage.putFile(key, file.path, { contentType: 'application/zip' });
  }

  async download(key: string): Promise<FileRead> {
    checkKey(key);
    const read = await (await this.store.current()).storage.get(key);
    if (!read) {
      throw new BadRequestError('Missing or invalid backup file.');
    }
    return read;
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    if (this.active === key) {
      throw new BadRequestError(`The backup ${key} is currently in use.`);
    }
    const { storage } = await this.store.current();
    if (!(await storage.exists(key))) {
      throw new BadRequestError('Invalid or already deleted backup file. Raw error: \nnot found');
    }
    await storage.delete(key);
  }

  /**
   * Checks and stages `key` now (a bad archive: 400, nothing changed), then in the background swaps it in and
   * restarts the app. The lock is held until the restart, which replaces this service.
   */
  async restore(key: string): Promise<void> {
    checkKey(key);
    if (!this.restorer.canRestart) {
      throw new BadRequestError('This process cannot restart itself; restore with `nestbase backup restore`.');
    }
    const staging = await this.exclusive(key, async () => {
      const target = await this.store.current();
      if (!(await target.storage.exists(key))) {
        throw new BadRequestError('Missing or invalid backup file.');
      }
      // onBackupRestore (`e.name`): before the swap; a handler that doesn't call e.next() stops the restore
      return fireHook(this.hooks, 'onBackupRestore', { name: key }, () => this.restorer.stage(target, key));
    });
    this.active = key;
    setTimeout(() => {
      this.restorer.apply(staging).then(
        () => undefined,
        () => {
          this.active = null;
        },
      );
    }, 300).unref();
  }

  /** Offline restore (the CLI, app not running): check, stage and swap now. */
  async restoreOffline(key: string): Promise<void> {
    checkKey(key);
    const staging = await this.exclusive(key, async () => this.restorer.stage(await this.store.current(), key));
    await this.restorer.apply(staging);
  }

  private async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.active !== null) {
      throw new BadRequestError(BUSY);
    }
    this.active = key;
    try {
      const done = await this.database.tryExclusive(BACKUP_LOCK, work);
      if (!done) {
        throw new BadRequestError(BUSY); // another replica's backup or restore
      }
      return done.value;
    } finally {
      this.active = null;
    }
  }
}
