import { Injectable } from '@nestjs/common';
import { BadRequestError, fieldError, ValidationFailed } from '@lib/core';
import { SettingsService } from '@lib/records';
import { pickS3 } from './configured-file-storage';
import { S3FileStorage, type S3Options } from './s3/s3-file-storage';

/** `POST /api/settings/test/s3`: can the configured bucket (files or backups) be reached? */
@Injectable()
export class StorageCheckService {
  constructor(private readonly settings: SettingsService) {}

  async testS3(body: unknown): Promise<void> {
    const filesystem = (body as { filesystem?: unknown } | null)?.filesystem ?? 'storage';
    if (filesystem !== 'storage' && filesystem !== 'backups') {
      throw new ValidationFailed(
        { filesystem: fieldError('validation_in_invalid', 'Must be a valid value.') },
        'An error occurred while validating the submitted data.',
      );
    }
    const all = await this.settings.get();
    const s3 = (filesystem === 'backups' ? (all.backups as { s3: unknown }).s3 : all.s3) as S3Options & {
      enabled: boolean;
    };
    if (!s3.enabled) {
      throw new BadRequestError('S3 storage filesystem is not enabled.');
    }
    try {
      await new S3FileStorage(pickS3(s3)).check();
    } catch (error) {
      throw new BadRequestError(`Failed to initialize the S3 storage. Raw error: ${(error as Error).message}`);
    }
  }
}
