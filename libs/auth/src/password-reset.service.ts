import { Injectable } from '@nestjs/common';
import { BadRequestError, fieldError, type FieldErrors } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import { ActionTokenService } from './action-token.service';
import { AuthAccountService } from './auth-account.service';
import { requiredEmail, requiredString, throwIfErrors } from './auth-input';
import { AuthService } from './auth.service';
import { AuthMailService } from './mail/auth-mail.service';
import { ResendLimiter } from './resend-limiter';

const RESEND_WINDOW_MS = 2 * 60 * 1000;

/** `request-password-reset` / `confirm-password-reset` (reference §2.2). */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AuthAccountService,
    private readonly actionTokens: ActionTokenService,
    private readonly mail: AuthMailService,
    private readonly limiter: ResendLimiter,
  ) {}

  /** Always resolves (204) for a well-formed email, so the answer reveals nothing about accounts. */
  async request(idOrName: string, body: Record<string, unknown>): Promise<void> {
    const c = this.collection(idOrName);
    const errors: FieldErrors = {};
    const email = requiredEmail(body, 'email', errors);
    throwIfErrors(errors);
    const record = await this.accounts.findByEmail(c, email);
    if (!record) {
      return;
    }
    await this.auth.hook('onRecordRequestPasswordResetRequest', c, { record }, async () => {
      if (await this.limiter.tryAcquire(`passwordReset:${c.id}:${String(record.id)}`, RESEND_WINDOW_MS)) {
        await this.mail.sendPasswordReset(c, record);
      }
    });
  }

  /** Sets the new password (old tokens stop working); verifies the record when the token's email is current. */
  async confirm(idOrName: string, body: Record<string, unknown>): Promise<void> {
    const c = this.collection(idOrName);
    const errors: FieldErrors = {};
    const password = requiredString(body, 'password', errors);
    const confirm = requiredString(body, 'passwordConfirm', errors);
    if (password !== '' && confirm !== '' && password !== confirm) {
      errors.passwordConfirm = fieldError('validation_values_mismatch', "Values don't match.");
    }
    throwIfErrors(errors);
    const { record, claims } = await this.actionTokens.resolve(c, body.token, 'passwordReset');
    const verify = record.verified !== true && claims.email === record.email;
    await this.auth.hook('onRecordConfirmPasswordResetRequest', c, { record }, () =>
      this.accounts.resetPassword(c, record, password, confirm, verify),
    );
  }

  private collection(idOrName: string): CollectionModel {
    const c = this.auth.authCollection(idOrName);
    if (!(c.passwordAuth as { enabled?: boolean } | undefined)?.enabled) {
      throw new BadRequestError('The collection is not configured to allow password authentication.');
    }
    return c;
  }
}
