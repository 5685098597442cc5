// OtpAuthService on in-memory fakes (libs/testing): codes, expiry and the per-record lockout on a manual clock
// (the real OtpStoreService, RateLimitService and in-memory rate-limit store), so an OTP failure names this
// layer. Marking an unverified record verified goes through RecordsService and SQL: the API tier's (auth-otp).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError, ForbiddenError, loadConfig } from '@lib/core';
import type { Database } from '@lib/database';
import { QueryCompiler } from '@lib/query';
import { CollectionsRegistry, RecordPresenter, RecordsService, RuleGuard, SettingsService } from '@lib/records';
import { buildCollection } from '@lib/schema';
import {
  FakePasswordHasher,
  InMemoryAuthOriginRepository,
  InMemoryAuthRecordRepository,
  InMemoryMfaRepository,
  InMemoryOtpRepository,
  InMemoryRecordRepository,
  ManualClock,
  RecordingAuthMail,
} from '@lib/fakes';
import { AuthAlertService } from '../auth-alert.service';
import { AuthHelpers } from '../auth-helpers';
import { AuthService } from '../auth.service';
import type { ClientRequest } from '../client-request';
import { MfaService } from '../mfa/mfa.service';
import { InMemoryRateLimitStore } from '../rate-limit/in-memory-rate-limit.store';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { TokenService } from '../token.service';
import { TooManyRequestsError } from '../rate-limit/too-many-requests.error';
import { OtpAuthService } from './otp-auth.service';
import { otpOptions, OtpStoreService } from './otp-store.service';

const REQUEST: ClientRequest = {
  auth: null,
  query: {},
  headers: {},
  method: 'POST',
  context: 'default',
  ip: '10.0.0.1',
};
/** Settings as stored: none (the defaults). */
const NO_SETTINGS = { query: () => Promise.resolve([]) } as unknown as Database;

function setup() {
  const clock = new ManualClock();
  const registry = new CollectionsRegistry();
  const users = buildCollection(
    { name: 'users', type: 'auth', fields: [], otp: { enabled: true, duration: 120, length: 6 } },
    undefined,
    [],
  );
  const plain = buildCollection({ name: 'plain', type: 'auth', fields: [] }, undefined, [users]);
  registry.replaceAll([users, plain]);
  const records = new InMemoryRecordRepository();
  const rules = new RuleGuard(new QueryCompiler(), registry);
  const presenter = new RecordPresenter(registry, records, rules, loadConfig({}));
  const hasher = new FakePasswordHasher();
  const mfa = new MfaService(new InMemoryMfaRepository(clock), records, rules, clock);
  const alerts = new AuthAlertService(new InMemoryAuthOriginRepository(clock), new RecordingAuthMail(), clock);
  const helpers = new AuthHelpers(hasher, rules, alerts, mfa);
  const tokens = new TokenService(clock);
  const auth = new AuthService(
    new InMemoryAuthRecordRepository(records),
    registry,
    records,
    presenter,
    tokens,
    helpers,
  );
  const store = new OtpStoreService(new InMemoryOtpRepository(clock), hasher, clock);
  const limits = new RateLimitService(new InMemoryRateLimitStore(clock), new SettingsService(NO_SETTINGS));
  // Records here are verified already: the unverified path (RecordsService.update) is not reached.
  const service = new OtpAuthService(auth, store, records, null as unknown as RecordsService, limits);
  const user = { id: 'user00000000001', email: 'u@example.com', tokenKey: 'k', verified: true, password: 'x' };
  records.seed(users, user);
  /** A new OTP for the user: its id and code, as the mail would carry them. */
  const issue = async () => {
    const otp = await store.issue(users, user, otpOptions(users));
    return { otpId: otp.id, password: String(otp.code) };
  };
  return { service, clock, tokens, users, user, issue };
}

void describe('OtpAuthService', () => {
  void it('signs in with the mailed code once; the code is spent', async () => {
    const { service, tokens, users, user, issue } = setup();
    const body = await issue();
    const res = await service.authWithOtp('users', body, '', REQUEST);
    assert.equal(res.record.id, user.id);
    assert.ok(tokens.verify(res.token, users, user, 'auth'));
    const again = await service.authWithOtp('users', body, '', REQUEST).catch((e: unknown) => e);
    assert.ok(again instanceof BadRequestError && again.message === 'Invalid or expired OTP', String(again));
  });

  void it('refuses a collection without OTP (403) and blank input (400 naming the fields)', async () => {
    const { service } = setup();
    await assert.rejects(service.authWithOtp('plain', { otpId: 'a', password: '1' }, '', REQUEST), ForbiddenError);
    const blank = await service.authWithOtp('users', {}, '', REQUEST).catch((e: unknown) => e);
    assert.ok(blank instanceof BadRequestError, String(blank));
    assert.deepEqual(Object.keys(blank.data).sort(), ['otpId', 'password']);
  });

  void it('refuses an OTP past its duration, though the code is right', async () => {
    const { service, clock, issue } = setup();
    const body = await issue();
    clock.advance(121_000);
    await assert.rejects(service.authWithOtp('users', body, '', REQUEST), /Invalid or expired OTP/);
  });

  void it('locks the record out for this address after 5 wrong codes, for 180 s; other addresses go on', async () => {
    const { service, clock, issue } = setup();
    const body = await issue();
    const wrong = { ...body, password: body.password === '000000' ? '111111' : '000000' };
    for (let i = 0; i < 5; i++) {
      await assert.rejects(service.authWithOtp('users', wrong, '', REQUEST), BadRequestError);
    }
    await assert.rejects(service.authWithOtp('users', body, '', REQUEST), TooManyRequestsError);
    const elsewhere = { ...REQUEST, ip: '10.0.0.2' };
    assert.ok((await service.authWithOtp('users', body, '', elsewhere)).token, 'another address is not locked out');
    const next = await issue();
    clock.advance(100_000);
    await assert.rejects(service.authWithOtp('users', next, '', REQUEST), TooManyRequestsError);
    clock.advance(81_000);
    const later = await issue(); // the earlier one expired meanwhile
    assert.ok((await service.authWithOtp('users', later, '', REQUEST)).token, 'the window closed');
  });
});
