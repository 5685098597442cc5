// A real SMTP server (`smtp-server`) on a free 127.0.0.1 port that keeps every mail it receives,
// parsed with `mailparser`, so tests can follow the links nestbase mails out. Every wait is bounded.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { WAIT_CEILING_MS } from '@lib/testing';
import type { ScenarioContext } from '@lib/testing';

export interface CapturedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  html: string;
  text: string;
}

const JWT_RE = /[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;

export class SmtpCatcher {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    /** Every mail received so far, in arrival order. */
    readonly mails: CapturedMail[],
  ) {}

  static async start(): Promise<SmtpCatcher> {
    const mails: CapturedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            mails.push({
              to: (session.envelope.rcptTo || []).map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              text: parsed.text ?? '',
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    return new SmtpCatcher(server, port, mails);
  }

  /** Points nestbase's SMTP settings at this server (idempotent; settings are per server). */
  async configure(t: ScenarioContext, meta: Record<string, unknown> = {}): Promise<void> {
    await t.su.expectOk('PATCH', '/api/settings', {
      smtp: { enabled: true, host: '127.0.0.1', port: this.port, tls: false, username: '' },
      meta: { appName: 'NestbaseTest', appURL: 'http://app.test', senderAddress: 'no-reply@app.test', ...meta },
    });
  }

  mailsTo(address: string): CapturedMail[] {
    return this.mails.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** The `n`-th mail (1-based) to `address`, waiting up to `timeoutMs` for it. */
  async waitForMail(address: string, n = 1, timeoutMs = WAIT_CEILING_MS): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mailsTo(address);
      if (found.length >= n) {
        return found[n - 1];
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no mail #${n} to ${address} within ${timeoutMs} ms (got ${found.length}; all: ${this.summary()})`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Waits for `expected` mails to `address` (up to the wait ceiling), then `settleMs` more, and fails unless
   * exactly `expected` arrived: the settle time only bounds the search for an extra mail (a slow machine can
   * let one slip past, never fail a correct server).
   */
  async expectMailCount(address: string, expected: number, settleMs = 300): Promise<void> {
    if (expected > 0) {
      await this.waitForMail(address, expected);
    }
    await new Promise((r) => setTimeout(r, settleMs));
    const got = this.mailsTo(address).length;
    if (got !== expected) {
      throw new Error(`expected ${expected} mail(s) to ${address}, got ${got}: ${this.summary()}`);
    }
  }

  summary(): string {
    return JSON.stringify(this.mails.map((m) => ({ to: m.to, subject: m.subject })));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** The JWT in a mail's HTML body (the `{TOKEN}` of an action link). */
export function tokenFromMail(mail: CapturedMail): string {
  const match = JWT_RE.exec(mail.html) ?? JWT_RE.exec(mail.text);
  if (!match) {
    throw new Error(`no token in mail "${mail.subject}": ${mail.html.slice(0, 500)}`);
  }
  return match[0];
}
