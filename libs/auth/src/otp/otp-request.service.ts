import { Injectable } from '@nestjs/common';
import { BadRequestError, fieldError, ForbiddenError, isEmailAddress, newRecordId } from '@lib/core';
import { fromRow, RecordRepository, type RecordData } from '@lib/records';
import { Database } from '@lib/database';
import type { CollectionModel } from '@lib/schema';
import { AuthService } from '../auth.service';
import { OtpMailerService } from './otp-mailer.service';
import { otpOptions, OtpStoreService } from './otp-store.service';

/** `POST /api/collections/{c}/request-otp` (reference §2.2). */
@Injectable()
export class OtpRequestService {
  constructor(
    private readonly auth: AuthService,
    private readonly records: RecordRepository,
    private readonly store: OtpStoreService,
    private readonly mailer: OtpMailerService,
    private readonly database: Database,
  ) {}

  /** `{otpId}`; for an unknown email a random id, so the answer doesn't reveal which emails exist. */
  async request(idOrName: string, body: Record<string, unknown>): Promise<{ otpId: string }> {
    const c = this.auth.authCollection(idOrName);
    const options = otpOptions(c);
    if (!options.enabled) {
      throw new ForbiddenError('The collection is not configured to allow OTP authentication.');
    }
    const email = body.email;
    if (typeof email !== 'string' || email === '' || !isEmailAddress(email, { dotted: false })) {
      throw new BadRequestError('An error occurred while validating the submitted data.', {
        email:
          typeof email !== 'string' || email === ''
            ? fieldError('validation_required', 'Cannot be blank.')
            : fieldError('validation_is_email', 'Must be a valid email address.'),
      });
    }
    const record = await this.findByEmail(c, email);
    if (!record) {
      await this.store.decoy();
      return { otpId: newRecordId() };
    }
    return this.auth.hook('onRecordRequestOTPRequest', c, { record }, async () => {
      const issued = await this.store.issue(c, record, options);
      if (issued.code !== null) {
        await this.mailer.send(c, record, issued.id, issued.code);
      }
      return { otpId: issued.id };
    });
  }

  private async findByEmail(c: CollectionModel, email: string): Promise<RecordData | null> {
    const rows = await this.records.list(c, {
      where: [{ sql: this.database.equalsNoCase('"r"."email"'), params: [email] }],
      orderBy: null,
      limit: 1,
      offset: 0,
    });
    return rows[0] ? fromRow(c, rows[0]) : null;
  }
}
