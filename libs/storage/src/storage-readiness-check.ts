import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from '@lib/core';
import { FileStorage } from './file-storage';

/** `/readyz`: the file storage in use answers (S3: the bucket exists; local: the storage directory is there). */
@Injectable()
export class StorageReadinessCheck extends ReadinessCheck {
  readonly name = 'storage';

  constructor(private readonly storage: FileStorage) {
    super();
  }

  override async check(): Promise<void> {
    await this.storage.check();
  }
}
