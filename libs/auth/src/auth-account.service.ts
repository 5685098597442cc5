import { Injectable } from '@nestjs/common';
import { ApiError, randomString, ValidationFailed } from '@lib/core';
import { PasswordHasher, RecordsService, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { AuthRecordRepository } from './auth-record.repository';
import { VALIDATION_MESSAGE } from './auth-input';
import { SYSTEM_REQUEST } from './system-request';

/**
 * The account changes of the mail flows (verify, reset password, change email), written through
 * RecordsService so field validation, tokenKey rotation and record events stay in one place.
 */
@Injectable()
export class AuthAccountService {
  constructor(
    private readonly records: RecordsService,
    private readonly lookup: AuthRecordRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  findByEmail(c: CollectionModel, email: string): Promise<RecordData | null> {
    return this.lookup.findByEmail(c, email);
  }

  /** Whether another record of the collection already uses `email`. */
  async emailTaken(c: CollectionModel, email: string, exceptId: string): Promise<boolean> {
    const found = await this.lookup.findByEmail(c, email);
    return found !== null && found.id !== exceptId;
  }

  checkPassword(record: RecordData, plain: string): Promise<boolean> {
    return this.hasher.verify(plain, typeof record.password === 'string' ? record.password : '');
  }

  /** Sets verified; with password auth disabled the password is also randomized (reference §2.2). */
  async markVerified(c: CollectionModel, record: RecordData): Promise<void> {
    const passwordAuth = c.passwordAuth as { enabled?: boolean } | undefined;
    const patch: Record<string, unknown> = { verified: true };
    if (!passwordAuth?.enabled) {
      const random = randomString(30);
      Object.assign(patch, { password: random, passwordConfirm: random });
    }
    await this.save(c, record, patch);
  }

  /** Sets the password (tokenKey rotates); `verify` also marks the record verified. */
  async resetPassword(c: CollectionModel, record: RecordData, password: string, confirm: string, verify: boolean) {
    await this.save(c, record, { password, passwordConfirm: confirm, ...(verify ? { verified: true } : {}) });
  }

  /** Sets the new email and verified (tokenKey rotates with the email). */
  async changeEmail(c: CollectionModel, record: RecordData, newEmail: string): Promise<void> {
    await this.save(c, record, { email: newEmail, verified: true });
  }

  private async save(c: CollectionModel, record: RecordData, patch: Record<string, unknown>): Promise<void> {
    try {
      await this.records.update(c.id, String(record.id), patch, '', SYSTEM_REQUEST);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.data).length > 0) {
        throw new ValidationFailed(error.data, VALIDATION_MESSAGE);
      }
      throw error;
    }
  }
}
