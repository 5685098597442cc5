import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError, fieldError, ForbiddenError, randomString } from '@lib/core';
import { fromRow, RecordRepository, RecordsService, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { AuthService } from '../auth.service';
import type { ClientRequest } from '../client-request';
import { hookedRecord, requestFields } from '../hooked-record';
import { authFactor } from '../mfa/mfa.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { SYSTEM_REQUEST } from '../system-request';
import type { OtpRow } from './otp.repository';
import { otpOptions, OtpStoreService } from './otp-store.service';

const INVALID = 'Invalid or expired OTP';
/** PocketBase's extra limit on OTP guesses: 5 failures per record in 180 s, then 429. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW = 180;

/** `POST /api/collections/{c}/auth-with-otp` (reference §2.2). */
@Injectable()
export class OtpAuthService {
  private readonly logger = new Logger('OTP');

  constructor(
    private readonly auth: AuthService,
    private readonly store: OtpStoreService,
    private readonly records: RecordRepository,
    private readonly recordsService: RecordsService,
    private readonly limits: RateLimitService,
  ) {}

  async authWithOtp(idOrName: string, body: Record<string, unknown>, expand: string, req: ClientRequest) {
    const c = this.auth.authCollection(idOrName);
    const options = otpOptions(c);
    if (!options.enabled) {
      throw new ForbiddenError('The collection is not configured to allow OTP authentication.');
    }
    const { otpId, password } = body;
    const bad = (v: unknown, max: number) => typeof v !== 'string' || v === '' || v.length > max;
    if (bad(otpId, 255) || bad(password, 71)) {
      throw new BadRequestError('An error occurred while validating the submitted data.', {
        ...(bad(otpId, 255) ? { otpId: fieldError('validation_required', 'Must be 1-255 characters.') } : {}),
        ...(bad(password, 71) ? { password: fieldError('validation_required', 'Must be 1-71 characters.') } : {}),
      });
    }
    const otp = await this.store.find(String(otpId));
    if (!otp || otp.collectionRef !== c.id) {
      throw new BadRequestError(INVALID);
    }
    if (this.store.isExpired(otp, options)) {
      await this.store.delete(otp.id);
      throw new BadRequestError(INVALID);
    }
    const row = await this.records.findById(c, otp.recordRef);
    if (!row) {
      throw new BadRequestError(INVALID);
    }
    // Per record *and client address* (as PocketBase's limiter): someone else failing codes can't lock the user out.
    const attempts = `otp:${c.id}:${otp.recordRef}:${await this.limits.addressOf(req)}`;
    await this.limits.assertUnder(attempts, MAX_FAILURES, 'Too many attempts, please try again later with a new OTP.');
    if (!(await this.store.matches(otp, String(password)))) {
      await this.limits.addHit(attempts, FAILURE_WINDOW);
      throw new BadRequestError(INVALID);
    }
    // onRecordAuthWithOTPRequest once the code matched, before the sign-in: `e.record` (changeable), `e.otp`
    const request = requestFields({ ...req, context: 'otp' }, body);
    const original = fromRow(c, row);
    const event = { record: original, otp: otpModel(otp), auth: req.auth ?? null, ...request };
    return this.auth.hook('onRecordAuthWithOTPRequest', c, event, async (e) => {
      const found = hookedRecord(e.record, c);
      if (!found) {
        throw new BadRequestError(INVALID);
      }
      // as PocketBase: the code is spent first, then a record it verifies is saved with the hook's changes
      await this.store.delete(otp.id);
      const record = await this.markVerified(c, found, hookedChanges(e.record, found, original), otp);
      return this.auth.authResponse(c, record, expand, { ...req, context: 'otp' }, authFactor('otp', body, req));
    });
  }

  /**
   * The OTP proves the record's current email: an unverified record becomes verified and, unless MFA is on, gets a
   * random password (so whoever pre-registered the address can't log in). The record is saved then, with what the
   * hook changed in `e.record` (PocketBase saves the event's record); otherwise those changes are only answered. A
   * failed save is logged and the sign-in goes on with the record as the hook left it, as PocketBase.
   */
  private async markVerified(
    c: CollectionModel,
    record: RecordData,
    changes: Record<string, unknown>,
    otp: OtpRow,
  ): Promise<RecordData> {
    if (record.verified === true || !otp.sentTo || otp.sentTo !== record.email) {
      return record;
    }
    const patch: Record<string, unknown> = { ...changes, verified: true };
    if ((c.mfa as { enabled?: boolean } | undefined)?.enabled !== true) {
      const random = randomString(30, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
      Object.assign(patch, { password: random, passwordConfirm: random });
    }
    const id = String(record.id);
    try {
      await this.recordsService.update(c.id, id, patch, '', { ...SYSTEM_REQUEST, context: 'otp' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(
        `Failed to update record verified state after successful OTP validation (${otp.id}, ${id}): ${reason}`,
      );
      return { ...record, verified: true };
    }
    const row = await this.records.findById(c, id);
    return row ? fromRow(c, row) : record;
  }
}

/**
 * The fields a hook changed in `e.record`: a hook record's own changes (also one the hook put there in place of the
 * record found), else what differs from the record found.
 */
function hookedChanges(value: unknown, found: RecordData, original: RecordData): Record<string, unknown> {
  const own = (value as { changes?: unknown } | null)?.changes;
  if (typeof own === 'function') {
    return (own as () => Record<string, unknown>).call(value);
  }
  if (found.id !== original.id) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(found).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(original[k])),
  );
}

/** PocketBase's `e.otp` (an `_otps` record): `id`, `get(name)`, `sentTo()`, `recordRef()`, `collectionRef()`. */
function otpModel(otp: OtpRow) {
  const values: Record<string, string> = {
    id: otp.id,
    collectionRef: otp.collectionRef,
    recordRef: otp.recordRef,
    sentTo: otp.sentTo ?? '',
    created: otp.created,
  };
  return {
    id: otp.id,
    get: (name: string) => values[name] ?? null,
    sentTo: () => values.sentTo,
    recordRef: () => otp.recordRef,
    collectionRef: () => otp.collectionRef,
    toJSON: () => values,
  };
}
