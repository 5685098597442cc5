import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import { SettingsService, StoreSync } from '@lib/records';
import { FileStorage, LocalFileStorage, S3FileStorage, type S3Options } from '@lib/storage';

/** Where backups are kept now: `<dataDir>/backups`, or the bucket of `backups.s3` when it is enabled. */
export interface BackupTarget {
  storage: FileStorage;
  /** The local directory, or null on S3. */
  dir: string | null;
}

@Injectable()
export class BackupStore {
  private s3: { key: string; storage: S3FileStorage } | null = null;
  private readonly local: BackupTarget;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly settings: SettingsService,
    private readonly freshness: StoreSync,
  ) {
    const dir = path.join(config.dataDir, 'backups');
    this.local = { storage: new LocalFileStorage(dir), dir };
  }

  /**
   * The target for the settings as stored now: they are brought up to date first, since a backup may run where no
   * request did since another process changed `backups.s3` (the auto-backup job on any replica, with REDIS_URL).
   */
  async current(): Promise<BackupTarget> {
    await this.freshness.ensureFresh();
    const backups = (await this.settings.get()).backups as { s3?: S3Options & { enabled?: boolean } } | undefined;
    const s3 = backups?.s3;
    if (!s3?.enabled) {
      return this.local;
    }
    const options: S3Options = {
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKey: s3.accessKey,
      secret: s3.secret,
      forcePathStyle: s3.forcePathStyle === true,
    };
    const key = JSON.stringify(options);
    if (this.s3?.key !== key) {
      this.s3 = { key, storage: new S3FileStorage(options) };
    }
    return { storage: this.s3.storage, dir: null };
  }
}
