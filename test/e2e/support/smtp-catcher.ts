// A real SMTP server (`smtp-server`) on a free 127.0.0.1 port that keeps every mail it receives,
// parsed with `mailparser`, so tests can follow the links nestbase mails out. Every wait is bounded.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { WAIT_CEILING_MS } from '@lib/testing';
import type { ScenarioContext, SuperuserClient } from '@lib/testing';

/** Whatever carries a superuser client: a scenario's `t`, or `{ su }`. */
export type WithSuperuser = Pick<ScenarioContext, 'su'> | { su: SuperuserClient };

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
    private readonly gate: { held: Promise<void> | null },
  ) {}

  static async start(): Promise<SmtpCatcher> {
    const mails: CapturedMail[] = [];
    const gate: { held: Promise<void> | null } = { held: null };
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then(async (parsed) => {
            await gate.held;
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
    return new SmtpCatcher(server, port, mails, gate);
  }

  /** Points nestbase's SMTP settings at this server (idempotent; settings are per server). */
  async configure(t: ScenarioContext, meta: Record<string, unknown> = {}): Promise<void> {
    await t.su.expectOk('PATCH', '/api/settings', {
      smtp: { enabled: true, host: '127.0.0.1', port: this.port, tls: false, username: '' },
      meta: { appName: 'NestbaseTest', appURL: 'http://app.test', senderAddress: 'no-reply@app.test', ...meta },
    });
  }

  /**
   * Holds every mail from now on before accepting it (the sender's job keeps running, the mail isn't counted)
   * until the returned function is called.
   */
  hold(): () => void {
    let release = (): void => undefined;
    this.gate.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate.held = null;
      release();
    };
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
   * Fails unless exactly `expected` mails went to `address` once the server's mail queue is idle: waits for the
   * expected ones, then for `GET /api/jobs/mail.send` to count no unfinished mail job (every mail a request
   * queued is queued before its answer, and a job finishes only after this server accepted the message). An
   * extra mail queued by the requests so far is therefore always here when the count is taken.
   */
  async expectMailCount(t: WithSuperuser, address: string, expected: number): Promise<void> {
    if (expected > 0) {
      await this.waitForMail(address, expected);
    }
    await mailQueueIdle(t);
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

/** Waits (bounded) until the server counts no unfinished `mail.send` job: sent, or given up after its retries. */
export async function mailQueueIdle(t: WithSuperuser, timeoutMs = WAIT_CEILING_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { pending } = await t.su.expectOk<{ pending: number }>('GET', '/api/jobs/mail.send');
    if (pending === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the mail queue still has ${pending} unfinished job(s) after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 25));
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
