import { Injectable } from '@nestjs/common';
import { MailerHooks, type MailMessage, type RecordMailContext } from '@lib/auth';
import { runChain } from './hook-chain';
import { HookDataService } from './hook-data.service';
import { HookRecord } from './hook-record';
import { HookRegistry } from './hook-registry';
import type { MailerEvent } from './hook-types';

/** PocketBase's hook name of each auth flow's mail. */
export const RECORD_MAIL_HOOKS: Record<RecordMailContext['kind'], string> = {
  passwordReset: 'onMailerRecordPasswordResetSend',
  verification: 'onMailerRecordVerificationSend',
  emailChange: 'onMailerRecordEmailChangeSend',
  otp: 'onMailerRecordOTPSend',
  authAlert: 'onMailerRecordAuthAlertSend',
};

/**
 * `onMailerRecord…Send` (an auth flow's mail, with its record) then `onMailerSend` (every mail): handlers may change
 * the message, or drop it by returning without `e.next()`.
 */
@Injectable()
export class MailerHookRunner extends MailerHooks {
  constructor(
    private readonly registry: HookRegistry,
    private readonly data: HookDataService,
  ) {
    super();
  }

  override async send(
    message: MailMessage,
    deliver: (message: MailMessage) => Promise<void>,
    context?: RecordMailContext,
  ): Promise<void> {
    const c = context?.collection;
    const specific = context && c ? this.registry.handlers<MailerEvent>(RECORD_MAIL_HOOKS[context.kind], c) : [];
    const handlers = [...specific, ...this.registry.mailer];
    if (handlers.length === 0) {
      return deliver(message);
    }
    const event: MailerEvent = {
      app: this.data.api(null),
      message,
      record: context && c ? new HookRecord(c, { ...context.record }, context.record) : undefined,
      collection: c ? { id: c.id, name: c.name, type: c.type } : undefined,
      meta: context?.meta ?? {},
      next: async () => undefined,
    };
    await runChain(handlers, event, () => deliver(event.message));
  }
}
