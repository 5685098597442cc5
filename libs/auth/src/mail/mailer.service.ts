import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { JobQueue } from '@lib/jobs';
import { SettingsService, StoreSync } from '@lib/records';
import type { Transporter } from 'nodemailer';
import type { MailMessage } from './mail-message';
import { MailerHooks, type RecordMailContext } from './mailer-hooks';

const JOB = 'mail.send';

interface SmtpSettings {
  enabled: boolean;
  host: string;
  port: number;
  username: string;
  password: string;
  authMethod: string;
  tls: boolean;
  localName: string;
}

/**
 * Sends mail through the job queue (retried on failure) with nodemailer and the SMTP settings of
 * `/api/settings`. With SMTP disabled, messages are logged and dropped.
 */
@Injectable()
export class MailerService implements OnModuleInit {
  private readonly logger = new Logger('Mailer');
  private transport: { key: string; transporter: Transporter } | null = null;

  constructor(
    private readonly jobs: JobQueue,
    private readonly settings: SettingsService,
    private readonly sync: StoreSync,
    @Optional() @Inject(MailerHooks) private readonly hooks: MailerHooks | null = null,
  ) {}

  onModuleInit(): void {
    this.jobs.process<MailMessage>(JOB, (message) => this.deliver(message));
  }

  /**
   * Queues a message; resolves once queued, not once sent. With `now`, sends it before resolving (no queue, no
   * retry) and rejects with the SMTP server's error, or when SMTP is disabled (the settings' test mail). `context`:
   * the auth flow the mail belongs to, for the mail hooks.
   */
  async send(message: MailMessage, options: { now?: boolean; context?: RecordMailContext } = {}): Promise<void> {
    const next = options.now
      ? (m: MailMessage) => this.deliver(m, true)
      : (m: MailMessage) => this.jobs.add(JOB, m, { attempts: 4, backoffMs: 1000 });
    await (this.hooks ? this.hooks.send(message, next, options.context) : next(message));
  }

  private async deliver(message: MailMessage, strict = false): Promise<void> {
    // A queued mail can run in a process that served no request since another one changed the SMTP settings (a
    // second auth replica, the process beside): its cached settings are brought up to date first, as a request's are.
    await this.sync.ensureFresh();
    const settings = await this.settings.get();
    const smtp = settings.smtp as unknown as SmtpSettings;
    const meta = settings.meta as { senderName: string; senderAddress: string };
    if (!smtp.enabled && strict) {
      throw new Error('SMTP is disabled in the settings.');
    }
    if (!smtp.enabled) {
      this.logger.warn(
        `SMTP is disabled: dropped mail "${message.subject}" to ${message.to.map((t) => t.address).join(', ')}`,
      );
      return;
    }
    await (
      await this.transporter(smtp)
    ).sendMail({
      from: { name: meta.senderName, address: meta.senderAddress },
      to: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
    });
  }

  private async transporter(smtp: SmtpSettings): Promise<Transporter> {
    const key = JSON.stringify(smtp);
    if (this.transport?.key !== key) {
      const nodemailer = await import('nodemailer');
      this.transport?.transporter.close();
      const transporter = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.tls,
        name: smtp.localName || undefined,
        auth: smtp.username
          ? { user: smtp.username, pass: smtp.password, method: smtp.authMethod || undefined }
          : undefined,
        tls: { rejectUnauthorized: false },
      });
      this.transport = { key, transporter };
    }
    return this.transport.transporter;
  }
}
