import { Injectable } from '@nestjs/common';
import { SettingsService, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { TokenService } from '../token.service';
import { MailerService } from './mailer.service';
import type { RecordMailContext } from './mailer-hooks';
import { renderTemplate, type MailTemplate, type TemplateValues } from './mail-template';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const EMPTY: MailTemplate = { subject: '', body: '' };

function template(value: unknown): MailTemplate {
  const t = value as Partial<MailTemplate> | undefined;
  return typeof t?.subject === 'string' && typeof t.body === 'string' ? { subject: t.subject, body: t.body } : EMPTY;
}

/**
 * The mails of the auth flows, from the collection's templates and `settings.meta` (appName, appURL).
 * Action mails carry a fresh token of the matching type in `{TOKEN}`.
 */
@Injectable()
export class AuthMailService {
  /** Set on the copy `immediate()` gives: its mails are sent before its methods resolve. */
  private now = false;

  constructor(
    private readonly tokens: TokenService,
    private readonly mailer: MailerService,
    private readonly settings: SettingsService,
  ) {}

  /** The same mails, sent at once (no queue): a failure to send rejects (the settings' test mail). */
  immediate(): AuthMailService {
    return Object.assign(Object.create(this) as AuthMailService, { now: true });
  }

  async sendVerification(c: CollectionModel, record: RecordData): Promise<void> {
    const token = this.tokens.sign(c, record, 'verification', { email: record.email });
    await this.send(c.verificationTemplate, String(record.email), record, { TOKEN: token }, mail('verification', c));
  }

  async sendPasswordReset(c: CollectionModel, record: RecordData): Promise<void> {
    const token = this.tokens.sign(c, record, 'passwordReset', { email: record.email });
    await this.send(c.resetPasswordTemplate, String(record.email), record, { TOKEN: token }, mail('passwordReset', c));
  }

  /** Sent to the new address: confirming proves the requester owns it. */
  async sendEmailChange(c: CollectionModel, record: RecordData, newEmail: string): Promise<void> {
    const token = this.tokens.sign(c, record, 'emailChange', { email: record.email, newEmail });
    await this.send(
      c.confirmEmailChangeTemplate,
      newEmail,
      record,
      { TOKEN: token },
      mail('emailChange', c, { newEmail }),
    );
  }

  async sendOtp(c: CollectionModel, record: RecordData, to: string, otpId: string, otp: string): Promise<void> {
    const otpOptions = c.otp as { emailTemplate?: unknown } | undefined;
    await this.send(otpOptions?.emailTemplate, to, record, { OTP: otp, OTP_ID: otpId }, mail('otp', c, { otpId }));
  }

  /** `alertInfo` (time, IP, User-Agent: client-controlled) is HTML-escaped. */
  async sendAuthAlert(c: CollectionModel, record: RecordData, alertInfo: string): Promise<void> {
    const alert = c.authAlert as { emailTemplate?: unknown } | undefined;
    const info = { ALERT_INFO: escapeHtml(alertInfo) };
    await this.send(alert?.emailTemplate, String(record.email), record, info, mail('authAlert', c, { alertInfo }));
  }

  private async send(
    raw: unknown,
    to: string,
    record: RecordData,
    values: Partial<TemplateValues>,
    context: Omit<RecordMailContext, 'record'>,
  ): Promise<void> {
    const meta = (await this.settings.get()).meta as { appName?: string; appURL?: string };
    const app = { APP_NAME: String(meta.appName ?? ''), APP_URL: String(meta.appURL ?? '') };
    const { subject, body } = renderTemplate(template(raw), { ...app, ...values }, record);
    const message = { to: [{ address: to }], subject, html: body };
    await this.mailer.send(message, { now: this.now, context: { ...context, record } });
  }
}

function mail(
  kind: RecordMailContext['kind'],
  collection: CollectionModel,
  meta: Record<string, unknown> = {},
): Omit<RecordMailContext, 'record'> {
  return { kind, collection, meta };
}
