import { Injectable } from '@nestjs/common';
import { Clock, formatDate, randomString } from '@lib/core';
import { PasswordHasher, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import type { MailTemplate } from '../mail/mail-template';
import { OtpRepository, type OtpRow } from './otp.repository';

/** `otp` options of an auth collection (reference §4). */
export interface OtpOptions {
  enabled: boolean;
  /** Seconds an OTP stays valid. */
  duration: number;
  /** Digits of a code. */
  length: number;
  emailTemplate: MailTemplate;
}

export function otpOptions(c: CollectionModel): OtpOptions {
  const o = (c.otp ?? {}) as Partial<OtpOptions>;
  return {
    enabled: o.enabled === true,
    duration: Number(o.duration) || 180,
    length: Math.max(4, Number(o.length) || 8),
    emailTemplate: o.emailTemplate ?? { subject: 'OTP', body: '{OTP}' },
  };
}

const DIGITS = '0123456789';
/** bcrypt cost of OTP hashes: codes live minutes and are rate-limited, so cheap is fine (PocketBase: 8). */
const OTP_COST = 8;
/** At most this many live OTPs per record; further requests reuse the newest (PocketBase). */
const MAX_LIVE = 10;

/** Issues, finds and checks OTPs; codes are stored only as bcrypt hashes. */
@Injectable()
export class OtpStoreService {
  constructor(
    private readonly otps: OtpRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /** A new OTP for the record, or the newest live one (`code: null`: nothing new to mail) past the cap. */
  async issue(
    c: CollectionModel,
    record: RecordData,
    options: OtpOptions,
  ): Promise<{ id: string; code: string | null }> {
    const recordId = String(record.id);
    await this.otps.deleteOlder(c.id, recordId, formatDate(new Date(this.clock.now() - options.duration * 1000)));
    const live = await this.otps.listByRecord(c.id, recordId);
    if (live.length >= MAX_LIVE) {
      return { id: live[0].id, code: null };
    }
    const code = randomString(options.length, DIGITS);
    const row = await this.otps.insert({
      collectionRef: c.id,
      recordRef: recordId,
      password: await this.hasher.hash(code, OTP_COST),
      sentTo: typeof record.email === 'string' ? record.email : '',
    });
    return { id: row.id, code };
  }

  /** Spends the time of an `issue` for an unknown email, so timing doesn't tell the two apart. */
  async decoy(): Promise<void> {
    await this.hasher.hash(randomString(8, DIGITS), OTP_COST);
  }

  find(id: string): Promise<OtpRow | null> {
    return this.otps.findById(id);
  }

  isExpired(row: OtpRow, options: OtpOptions): boolean {
    return Date.parse(row.created.replace(' ', 'T')) + options.duration * 1000 < this.clock.now();
  }

  /** Constant-time comparison through bcrypt. */
  matches(row: OtpRow, code: string): Promise<boolean> {
    return this.hasher.verify(code, row.password);
  }

  delete(id: string): Promise<void> {
    return this.otps.delete(id);
  }
}
