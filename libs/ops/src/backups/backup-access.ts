import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/core';
import { TokenService } from '@lib/auth';
import { CollectionsRegistry, fromRow, RecordRepository } from '@lib/records';

/** Backup downloads take a superuser's file token in `?token=` (a browser link carries no header). */
@Injectable()
export class BackupAccess {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
  ) {}

  async requireSuperuserFileToken(token: string | undefined): Promise<void> {
    const denied = new ForbiddenError('Insufficient permissions to access the resource.');
    const claims = token ? this.tokens.peek(token) : null;
    const collection = claims?.type === 'file' ? this.registry.findCollection(claims.collectionId) : undefined;
    if (
      !token ||
      !claims ||
      !collection ||
      collection.name !== '_superusers' ||
      collection.id !== claims.collectionId
    ) {
      throw denied;
    }
    const row = await this.records.findById(collection, claims.id);
    const record = row ? fromRow(collection, row) : null;
    if (!record || !this.tokens.verify(token, collection, record, 'file')) {
      throw denied;
    }
  }
}
