import { Injectable } from '@nestjs/common';
import { SettingsService, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { MailerService } from '../mail/mailer.service';
import { renderTemplate } from '../mail/mail-template';
import { otpOptions } from './otp-store.service';

/** Mails an OTP with the collection's `otp.emailTemplate` (`{OTP}`, `{OTP_ID}`, `{APP_NAME}`, …). */
@Injectable()
export class OtpMailerService {
  constructor(
    private readonly mailer: MailerService,
    private readonly settings: SettingsService,
  ) {}

  async send(c: CollectionModel, record: RecordData, otpId: string, code: string): Promise<void> {
    const meta = (await this.settings.get()).meta as { appName: string; appURL: string };
    const { password: _password, tokenKey: _tokenKey, ...visible } = record;
    const mail = renderTemplate(
      otpOptions(c).emailTemplate,
      { APP_NAME: meta.appName, APP_URL: meta.appURL, OTP: code, OTP_ID: otpId },
      visible,
    );
    await this.mailer.send({ to: [{ address: String(record.email) }], subject: mail.subject, html: mail.body });
  }
}
