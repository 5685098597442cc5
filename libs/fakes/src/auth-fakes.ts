// In-memory ports of the auth lib for unit specs: identities looked up in an InMemoryRecordRepository, the
// `_mfas`, `_otps` and `_authOrigins` tables as maps stamped by the spec's clock, and a mail service that
// keeps what it was asked to send (templates, SMTP and queues belong to the API tier).
import { AuthMailService, AuthOriginRepository, AuthRecordRepository, MfaRepository, OtpRepository } from '@lib/auth';
import type { AuthOrigin, MfaRow, OtpRow } from '@lib/auth';
import { type Clock, formatDate, newRecordId } from '@lib/core';
import { fromRow, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import type { InMemoryRecordRepository } from './in-memory-record.repository';

export class InMemoryAuthRecordRepository extends AuthRecordRepository {
  constructor(private readonly records: InMemoryRecordRepository) {
    super();
  }

  override findByEmail(c: CollectionModel, email: string): Promise<RecordData | null> {
    return this.findByIdentity(c, 'email', email);
  }

  /** As the SQL one: the one row whose `field` equals `value` exactly; null when none or several. */
  override findByIdentity(c: CollectionModel, field: string, value: string): Promise<RecordData | null> {
    const rows = c.fields.some((f) => f.name === field) ? this.records.rows(c).filter((r) => r[field] === value) : [];
    return Promise.resolve(rows.length === 1 ? fromRow(c, rows[0]) : null);
  }
}

export class InMemoryMfaRepository extends MfaRepository {
  readonly rows = new Map<string, MfaRow>();

  constructor(private readonly clock: Clock) {
    super();
  }

  override insert(collectionRef: string, recordRef: string, method: string): Promise<MfaRow> {
    const row = { id: newRecordId(), collectionRef, recordRef, method, created: formatDate(this.clock.date()) };
    this.rows.set(row.id, row);
    return Promise.resolve({ ...row });
  }

  override findById(id: string): Promise<MfaRow | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? { ...row } : null);
  }

  override delete(id: string): Promise<void> {
    this.rows.delete(id);
    return Promise.resolve();
  }

  override deleteOlder(collectionRef: string, recordRef: string, before: string): Promise<void> {
    for (const row of [...this.rows.values()]) {
      if (row.collectionRef === collectionRef && row.recordRef === recordRef && row.created < before) {
        this.rows.delete(row.id);
      }
    }
    return Promise.resolve();
  }
}

export class InMemoryOtpRepository extends OtpRepository {
  readonly rows = new Map<string, OtpRow>();

  constructor(private readonly clock: Clock) {
    super();
  }

  override insert(row: Omit<OtpRow, 'id' | 'created'>): Promise<OtpRow> {
    const stored = { ...row, id: newRecordId(), created: formatDate(this.clock.date()) };
    this.rows.set(stored.id, stored);
    return Promise.resolve({ ...stored });
  }

  override findById(id: string): Promise<OtpRow | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? { ...row } : null);
  }

  override listByRecord(collectionRef: string, recordRef: string): Promise<OtpRow[]> {
    const mine = [...this.rows.values()].filter((r) => r.collectionRef === collectionRef && r.recordRef === recordRef);
    return Promise.resolve(mine.sort((a, b) => b.created.localeCompare(a.created)));
  }

  override delete(id: string): Promise<void> {
    this.rows.delete(id);
    return Promise.resolve();
  }

  override deleteOlder(collectionRef: string, recordRef: string, before: string): Promise<void> {
    for (const row of [...this.rows.values()]) {
      if (row.collectionRef === collectionRef && row.recordRef === recordRef && row.created < before) {
        this.rows.delete(row.id);
      }
    }
    return Promise.resolve();
  }
}

export class InMemoryAuthOriginRepository extends AuthOriginRepository {
  /** Per `collectionId/recordId`: most recently used first. */
  private readonly byRecord = new Map<string, AuthOrigin[]>();

  constructor(private readonly clock: Clock) {
    super();
  }

  override findByRecord(collectionId: string, recordId: string): Promise<AuthOrigin[]> {
    return Promise.resolve(this.list(collectionId, recordId).map((o) => ({ ...o })));
  }

  override insert(collectionId: string, recordId: string, fingerprint: string): Promise<void> {
    this.list(collectionId, recordId).unshift({ id: newRecordId(), fingerprint, updated: this.now() });
    return Promise.resolve();
  }

  override touch(id: string): Promise<void> {
    for (const origins of this.byRecord.values()) {
      const at = origins.findIndex((o) => o.id === id);
      if (at >= 0) {
        const [origin] = origins.splice(at, 1);
        origins.unshift({ ...origin, updated: this.now() });
      }
    }
    return Promise.resolve();
  }

  override prune(collectionId: string, recordId: string, keep: number): Promise<void> {
    this.list(collectionId, recordId).splice(keep);
    return Promise.resolve();
  }

  private list(collectionId: string, recordId: string): AuthOrigin[] {
    const key = `${collectionId}/${recordId}`;
    let origins = this.byRecord.get(key);
    if (!origins) {
      origins = [];
      this.byRecord.set(key, origins);
    }
    return origins;
  }

  private now(): string {
    return formatDate(this.clock.date());
  }
}

/** The auth mails as calls (`otp <to>`, `authAlert <email>` …), the OTP codes kept for the spec to type in. */
export class RecordingAuthMail extends AuthMailService {
  readonly sent: string[] = [];
  /** The code of each OTP mailed, by otpId. */
  readonly otpCodes = new Map<string, string>();

  constructor() {
    super(null as never, null as never, null as never);
  }

  override sendVerification(_c: CollectionModel, record: RecordData): Promise<void> {
    return this.keep(`verification ${String(record.email)}`);
  }

  override sendPasswordReset(_c: CollectionModel, record: RecordData): Promise<void> {
    return this.keep(`passwordReset ${String(record.email)}`);
  }

  override sendEmailChange(_c: CollectionModel, _record: RecordData, newEmail: string): Promise<void> {
    return this.keep(`emailChange ${newEmail}`);
  }

  override sendOtp(_c: CollectionModel, _record: RecordData, to: string, otpId: string, otp: string): Promise<void> {
    this.otpCodes.set(otpId, otp);
    return this.keep(`otp ${to}`);
  }

  override sendAuthAlert(_c: CollectionModel, record: RecordData, _alertInfo: string): Promise<void> {
    return this.keep(`authAlert ${String(record.email)}`);
  }

  private keep(line: string): Promise<void> {
    this.sent.push(line);
    return Promise.resolve();
  }
}
