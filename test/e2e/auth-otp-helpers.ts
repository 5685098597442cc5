// Shared by the OTP, MFA and rate-limit e2e files: OTP-enabled auth collections, users created as
// superuser (no login, so MFA can be on), and the OTP code read from the captured mail.
import assert from 'node:assert/strict';

import { DEFAULT_PASSWORD, ScenarioContext, uniqueEmail } from '@lib/testing';

import { CapturedMail, SmtpCatcher } from './support/smtp-catcher';

export interface AuthUser {
  id: string;
  email: string;
  password: string;
}

/** An auth collection `key` with password + OTP (6 digits) enabled; `options` are merged over it. */
export async function otpCollection(
  t: ScenarioContext,
  key = 'members',
  options: Record<string, unknown> = {},
): Promise<void> {
  const { otp, ...rest } = options;
  await t.createCollection({
    name: key,
    type: 'auth',
    listRule: null,
    viewRule: null,
    otp: { enabled: true, length: 6, duration: 180, ...(otp as object | undefined) },
    ...rest,
  });
}

/** A user created by the superuser (unverified unless `overrides` say otherwise). */
export async function addUser(
  t: ScenarioContext,
  key = 'members',
  overrides: Record<string, unknown> = {},
): Promise<AuthUser> {
  const email = uniqueEmail('otp');
  const record = await t.createRecord(key, {
    email,
    password: DEFAULT_PASSWORD,
    passwordConfirm: DEFAULT_PASSWORD,
    ...overrides,
  });
  return { id: record.id, email, password: DEFAULT_PASSWORD };
}

export async function requestOtp(t: ScenarioContext, key: string, email: string): Promise<string> {
  const res = await t.request('POST', `/api/collections/${t.col(key)}/request-otp`, { body: { email } });
  assert.equal(res.status, 200, res.text);
  const otpId = res.json<{ otpId: string }>().otpId;
  assert.match(otpId, /^[a-z0-9]{15}$/);
  return otpId;
}

/** The code of an OTP mail: the digits in the default template's `<strong>{OTP}</strong>`. */
export function codeFromMail(mail: CapturedMail): string {
  const match = /<strong>(\d+)<\/strong>/.exec(mail.html);
  assert.ok(match, `no OTP in mail "${mail.subject}": ${mail.html.slice(0, 300)}`);
  return match[1];
}

/** Requests an OTP for `email` and reads its code from the `n`-th mail to that address. */
export async function otpFor(
  t: ScenarioContext,
  smtp: SmtpCatcher,
  key: string,
  email: string,
  n = 1,
): Promise<{ otpId: string; code: string }> {
  const otpId = await requestOtp(t, key, email);
  return { otpId, code: codeFromMail(await smtp.waitForMail(email, n)) };
}
