import { Injectable } from '@nestjs/common';
import { BadRequestError, fieldError, newRecordId, randomString, type FieldErrors } from '@lib/core';
import { CollectionsRegistry, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { requiredEmail, throwIfErrors } from './auth-input';
import { AuthMailService } from './mail/auth-mail.service';

const TEMPLATES = ['verification', 'password-reset', 'email-change', 'otp', 'login-alert'] as const;
type TestTemplate = (typeof TEMPLATES)[number];

/** `POST /api/settings/test/email` (reference §2.9): one of a collection's templates sent to an address. */
@Injectable()
export class TestEmailService {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly mail: AuthMailService,
  ) {}

  async send(body: Record<string, unknown>): Promise<void> {
    const errors: FieldErrors = {};
    const email = requiredEmail(body, 'email', errors);
    const template = body.template;
    if (typeof template !== 'string' || template === '') {
      errors.template = fieldError('validation_required', 'Cannot be blank.');
    } else if (!TEMPLATES.includes(template as TestTemplate)) {
      errors.template = fieldError('validation_in_invalid', 'Must be a valid value.');
    }
    const name = body.collection === undefined || body.collection === '' ? '_superusers' : body.collection;
    const c = typeof name === 'string' ? this.registry.findCollection(name) : undefined;
    if (!c || c.type !== 'auth') {
      errors.collection = fieldError('validation_invalid_value', 'Missing or invalid auth collection.');
    }
    throwIfErrors(errors);
    const collection = c!;
    // A stand-in record: the mail shows real placeholders and a well-formed (but useless) token.
    const record: RecordData = { id: newRecordId(), email, tokenKey: randomString(50), verified: false };
    // Sent now, as PocketBase does: the SMTP server's refusal is this request's 400, not a line in the log later.
    try {
      await this.sendTemplate(this.mail.immediate(), template as TestTemplate, collection, record, email);
    } catch (error) {
      throw new BadRequestError(`Failed to send the test email. Raw error: ${(error as Error).message}`);
    }
  }

  private sendTemplate(
    mail: AuthMailService,
    template: TestTemplate,
    collection: CollectionModel,
    record: RecordData,
    email: string,
  ): Promise<void> {
    switch (template) {
      case 'verification':
        return mail.sendVerification(collection, record);
      case 'password-reset':
        return mail.sendPasswordReset(collection, record);
      case 'email-change':
        return mail.sendEmailChange(collection, record, email);
      case 'otp':
        return mail.sendOtp(collection, record, email, '_PB_TEST_OTP_ID_', '123456');
      case 'login-alert':
        return mail.sendAuthAlert(collection, record, '_PB_TEST_ALERT_INFO_');
    }
  }
}
