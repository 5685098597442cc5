import type { CollectionModel } from '@lib/schema';
import type { MailMessage } from './mail-message';

/** What an auth flow's mail is about (PocketBase's `onMailerRecord…Send` hooks see it). */
export interface RecordMailContext {
  kind: 'passwordReset' | 'verification' | 'emailChange' | 'otp' | 'authAlert';
  collection: CollectionModel;
  record: Record<string, unknown>;
  /** Extra values of the mail (`newEmail`, `otpId`, `alertInfo`). */
  meta: Record<string, unknown>;
}

/**
 * The auth lib's mail extension point, implemented by the hooks lib (`onMailerSend`): `send` may change
 * the message before passing it on to `deliver`, or not pass it on at all.
 */
export abstract class MailerHooks {
  abstract send(
    message: MailMessage,
    deliver: (message: MailMessage) => Promise<void>,
    context?: RecordMailContext,
  ): Promise<void>;
}
