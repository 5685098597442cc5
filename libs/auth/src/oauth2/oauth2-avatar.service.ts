import { Inject, Injectable, Logger } from '@nestjs/common';
import * as path from 'node:path';
import { AppConfig } from '@lib/core';
import { Database } from '@lib/database';
import type { CollectionModel } from '@lib/schema';
import { OAuth2AccountRepository } from './oauth2-account.repository';
import type { OAuth2User } from './oauth2-user';
import { downloadUrlFile, isLoopbackAddress, isPublicAddress, type DownloadedFile } from './url-download';

/** PocketBase gives the avatar download 10 s. */
const AVATAR_TIMEOUT_MS = 10_000;

/**
 * The provider's avatar as a file, for a collection whose `oauth2.mappedFields.avatarURL` names a file field
 * (reference §2.4). Fetched before the sign-in's transaction (no write lock held over the network), only
 * for a provider account not linked yet (only a new record gets it) and when createData doesn't name the field. Private and reserved addresses are
 * refused, redirects too; loopback only with `NB_OAUTH2_AVATAR_ALLOW_LOOPBACK` (tests/dev). A failure is
 * logged and the record is created without the avatar, as in PocketBase.
 */
@Injectable()
export class OAuth2AvatarService {
  private readonly logger = new Logger('OAuth2');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly database: Database,
    private readonly accounts: OAuth2AccountRepository,
  ) {}

  /** The name of the file field the avatar goes to, or '' (not mapped, or mapped to a non-file field). */
  fileField(c: CollectionModel): string {
    const name = (c.oauth2 as { mappedFields?: Record<string, string> } | undefined)?.mappedFields?.avatarURL ?? '';
    return c.fields.some((f) => f.name === name && f.type === 'file') ? name : '';
  }

  async download(
    c: CollectionModel,
    provider: string,
    user: OAuth2User,
    createData: Record<string, unknown>,
  ): Promise<DownloadedFile | null> {
    const field = this.fileField(c);
    if (
      !field ||
      !user.avatarURL ||
      field in createData ||
      (await this.accounts.findLink(c.id, provider, user.id, this.database))
    ) {
      return null;
    }
    const loopback = this.config.oauth2.avatarAllowLoopback;
    try {
      return await downloadUrlFile(user.avatarURL, {
        tmpDir: path.join(this.config.dataDir, '.tmp'),
        field,
        timeoutMs: AVATAR_TIMEOUT_MS,
        allowAddress: (address) => isPublicAddress(address) || (loopback && isLoopbackAddress(address)),
      });
    } catch (error) {
      this.logger.warn(`Failed to retrieve OAuth2 avatar: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
