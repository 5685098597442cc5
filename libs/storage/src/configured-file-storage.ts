import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppConfig } from '@lib/core';
import { SettingsService } from '@lib/records';
import {
  FileStorage,
  type ByteRange,
  type FileRead,
  type ListedFile,
  type PutOptions,
  type StoredFile,
  type WholeFile,
} from './file-storage';
import { LocalFileStorage } from './local/local-file-storage';
import { S3FileStorage, type S3Options } from './s3/s3-file-storage';

/**
 * The `FileStorage` every service injects: S3 when the settings enable it (or `S3_BUCKET` is set in
 * the environment), else `<dataDir>/storage`. The backend follows settings changes at runtime.
 */
@Injectable()
export class ConfiguredFileStorage extends FileStorage {
  private readonly local: LocalFileStorage;
  private s3: { key: string; storage: S3FileStorage } | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {
    super();
    this.local = new LocalFileStorage(path.resolve(config.dataDir, 'storage'));
  }

  /** The backend for the current settings. */
  async current(): Promise<FileStorage> {
    const options = await this.s3Options();
    if (!options) {
      return this.local;
    }
    const key = JSON.stringify(options);
    if (this.s3?.key !== key) {
      this.s3 = { key, storage: new S3FileStorage(options) };
    }
    return this.s3.storage;
  }

  private async s3Options(): Promise<S3Options | null> {
    const s3 = (await this.settings.get()).s3 as unknown as S3Options & { enabled: boolean };
    if (s3.enabled) {
      return pickS3(s3);
    }
    return this.config.s3.enabled ? pickS3(this.config.s3) : null;
  }

  override async put(key: string, body: Readable | Buffer, options?: PutOptions): Promise<void> {
    return (await this.current()).put(key, body, options);
  }
  override async putFile(key: string, file: string, options?: PutOptions): Promise<void> {
    return (await this.current()).putFile(key, file, options);
  }
  override async get(key: string, range?: ByteRange): Promise<FileRead | null> {
    return (await this.current()).get(key, range);
  }
  override async readWhole(key: string): Promise<WholeFile | null> {
    return (await this.current()).readWhole(key);
  }
  override async stat(key: string): Promise<StoredFile | null> {
    return (await this.current()).stat(key);
  }
  override async list(prefix: string): Promise<ListedFile[]> {
    return (await this.current()).list(prefix);
  }
  override async delete(key: string): Promise<void> {
    return (await this.current()).delete(key);
  }
  override async deletePrefix(prefix: string): Promise<void> {
    return (await this.current()).deletePrefix(prefix);
  }
  override backend(): Promise<FileStorage> {
    return this.current();
  }
  override async putSmall(key: string, data: Buffer): Promise<void> {
    return (await this.current()).putSmall(key, data);
  }
  override async deleteMany(keys: string[]): Promise<void> {
    return (await this.current()).deleteMany(keys);
  }
  override async check(): Promise<void> {
    return (await this.current()).check();
  }
}

export function pickS3(s: S3Options): S3Options {
  const { endpoint, bucket, region, accessKey, secret, forcePathStyle } = s;
  return { endpoint, bucket, region, accessKey, secret, forcePathStyle };
}
