import type { MailMessage } from './mail-message';

/**
 * The auth lib's mail extension point, implemented by the hooks lib (`onMailerSend`): `send` may change
 * the message before passing it on to `deliver`, or not pass it on at all.
 */
export abstract class MailerHooks {
  abstract send(message: MailMessage, deliver: (message: MailMessage) => Promise<void>): Promise<void>;
}
