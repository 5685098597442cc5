import { Injectable } from '@nestjs/common';
import {
  BadRequestError,
  fieldError,
  ForbiddenError,
  UnauthorizedError,
  type FieldErrors,
  type RequestAuth,
} from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import { ActionTokenService } from './action-token.service';
import { AuthAccountService } from './auth-account.service';
import { isEmail, requiredEmail, requiredString, throwIfErrors } from './auth-input';
import { AuthService } from './auth.service';
import { AuthMailService } from './mail/auth-mail.service';

/** `request-email-change` / `confirm-email-change` (reference §2.2). */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AuthAccountService,
    private readonly actionTokens: ActionTokenService,
    private readonly mail: AuthMailService,
  ) {}

  /** Mails a confirmation link to `newEmail`; only the record itself (same collection) may ask. */
  async request(idOrName: string, body: Record<string, unknown>, auth: RequestAuth | null): Promise<void> {
    const c = this.auth.authCollection(idOrName);
    if (!auth) {
      throw new UnauthorizedError('The request requires valid record authorization token.');
    }
    if (auth.collectionId !== c.id) {
      throw new ForbiddenError('The authorized record is not allowed to perform this action.');
    }
    this.refuseSuperusers(c);
    const record = auth.record;
    const errors: FieldErrors = {};
    const newEmail = requiredEmail(body, 'newEmail', errors);
    if (
      newEmail !== '' &&
      (newEmail === record.email || (await this.accounts.emailTaken(c, newEmail, String(record.id))))
    ) {
      errors.newEmail = fieldError('validation_invalid_new_email', 'Invalid new email address.');
    }
    throwIfErrors(errors);
    await this.auth.hook('onRecordRequestEmailChangeRequest', c, { record, newEmail }, () =>
      this.mail.sendEmailChange(c, record, newEmail),
    );
  }

  /** Sets the token's new email (and verified) after checking the record's current password. */
  async confirm(idOrName: string, body: Record<string, unknown>): Promise<void> {
    const c = this.auth.authCollection(idOrName);
    this.refuseSuperusers(c);
    const errors: FieldErrors = {};
    const password = requiredString(body, 'password', errors);
    throwIfErrors(errors);
    const { record, claims } = await this.actionTokens.resolve(c, body.token, 'emailChange');
    const newEmail = typeof claims.newEmail === 'string' ? claims.newEmail : '';
    if (!isEmail(newEmail) || claims.email !== record.email) {
      errors.token = fieldError('validation_invalid_token_claims', 'Invalid token claims.');
    } else if (await this.accounts.emailTaken(c, newEmail, String(record.id))) {
      errors.token = fieldError('validation_existing_token_email', 'The new email address is already registered.');
    }
    if (!(await this.accounts.checkPassword(record, password))) {
      errors.password = fieldError('validation_invalid_password', 'Missing or invalid auth record password.');
    }
    throwIfErrors(errors);
    await this.auth.hook('onRecordConfirmEmailChangeRequest', c, { record, newEmail }, () =>
      this.accounts.changeEmail(c, record, newEmail),
    );
  }

  private refuseSuperusers(c: CollectionModel): void {
    if (c.name === '_superusers') {
      throw new BadRequestError('All superusers can change their emails directly.');
    }
  }
}
