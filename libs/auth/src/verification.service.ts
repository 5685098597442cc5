import { Injectable } from '@nestjs/common';
import { BadRequestError, fieldError, ValidationFailed, type FieldErrors } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import { ActionTokenService } from './action-token.service';
import { AuthAccountService } from './auth-account.service';
import { requiredEmail, throwIfErrors, VALIDATION_MESSAGE } from './auth-input';
import { AuthService } from './auth.service';
import { AuthMailService } from './mail/auth-mail.service';
import { ResendLimiter } from './resend-limiter';

const RESEND_WINDOW_MS = 2 * 60 * 1000;

/** `request-verification` / `confirm-verification` (reference §2.2). */
@Injectable()
export class VerificationService {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AuthAccountService,
    private readonly actionTokens: ActionTokenService,
    private readonly mail: AuthMailService,
    private readonly limiter: ResendLimiter,
  ) {}

  /** Always resolves (204) for a well-formed email: unknown, verified or recently mailed records get no mail. */
  async request(idOrName: string, body: Record<string, unknown>): Promise<void> {
    const c = this.collection(idOrName);
    const errors: FieldErrors = {};
    const email = requiredEmail(body, 'email', errors);
    throwIfErrors(errors);
    const record = await this.accounts.findByEmail(c, email);
    if (!record || record.verified === true) {
      return;
    }
    await this.auth.hook('onRecordRequestVerificationRequest', c, { record }, async () => {
      if (await this.limiter.tryAcquire(`verification:${c.id}:${String(record.id)}`, RESEND_WINDOW_MS)) {
        await this.mail.sendVerification(c, record);
      }
    });
  }

  async confirm(idOrName: string, body: Record<string, unknown>): Promise<void> {
    const c = this.collection(idOrName);
    const { record, claims } = await this.actionTokens.resolve(c, body.token, 'verification');
    if (claims.email !== record.email) {
      throw new ValidationFailed(
        {
          token: fieldError(
            'validation_token_email_mismatch',
            "The record email doesn't match with the requested token claims.",
          ),
        },
        VALIDATION_MESSAGE,
      );
    }
    await this.auth.hook('onRecordConfirmVerificationRequest', c, { record }, async () => {
      if (record.verified !== true) {
        await this.accounts.markVerified(c, record);
      }
    });
  }

  private collection(idOrName: string): CollectionModel {
    const c = this.auth.authCollection(idOrName);
    if (c.name === '_superusers') {
      throw new BadRequestError('All superusers are verified by default.');
    }
    return c;
  }
}
