// Security group, account enumeration and brute force: the request-* endpoints answer a known and an
// unknown email identically (status and body; timings are measured and reported, not asserted), a
// wrong password and an unknown identity fail alike, and repeated failures end in 429.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { ApiResponse, runScenarios, Scenario, ScenarioContext, uniqueEmail } from '@lib/testing';

import { addUser, otpCollection } from './auth-otp-helpers';
import { SmtpCatcher } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

async function answer(t: ScenarioContext, url: string, body: Record<string, unknown>): Promise<Answer> {
  const started = process.hrtime.bigint();
  const res: ApiResponse = await t.request('POST', url, { body });
  return {
    status: res.status,
    body: res.text === '' ? '' : res.body,
    ms: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

/** The body with every string value replaced by its type: for answers that carry random ids. */
function shape(body: unknown): unknown {
  if (typeof body === 'string') {
    return 'string';
  }
  if (body && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, shape(v)]));
  }
  return body;
}

/**
 * A row comparing the answers for `known` (an email with an account) and an unknown email at `path`;
 * `compare` maps a body before the comparison (identity, or `shape` for random ids).
 */
function sameAnswer(
  name: string,
  path: (t: ScenarioContext) => string,
  setup: (t: ScenarioContext) => Promise<string>,
  compare: (body: unknown) => unknown = (b) => b,
  input: (email: string) => Record<string, unknown> = (email) => ({ email }),
): Scenario {
  return {
    name,
    method: 'GET',
    url: '/api/health',
    before: async (t) => {
      await smtp.configure(t);
      const known = await setup(t);
      const answers: Answer[] = [];
      for (let i = 0; i < 3; i++) {
        answers.push(await answer(t, path(t), input(i === 0 ? known : uniqueEmail('ghost'))));
        answers.push(await answer(t, path(t), input(uniqueEmail('ghost'))));
      }
      const [k, u] = [answers[0], answers[1]];
      assert.ok(k.status < 500, JSON.stringify(k));
      assert.equal(u.status, k.status, `status: known ${k.status}, unknown ${u.status}`);
      assert.deepEqual(compare(u.body), compare(k.body), 'the bodies differ');
      const avg = (list: Answer[]) => list.reduce((s, a) => s + a.ms, 0) / list.length;
      t.vars.timing = `known ${k.ms.toFixed(1)} ms, unknown avg ${avg(answers.slice(1)).toFixed(1)} ms`;
    },
    expectStatus: 200,
    after: async (t) => {
      process.stdout.write(`# timing ${name}: ${t.vars.timing}\n`);
    },
  };
}

const collectionUrl = (key: string, action: string) => (t: ScenarioContext) =>
  `/api/collections/${t.col(key)}/${action}`;

runScenarios('security: enumeration', [
  sameAnswer(
    'request-password-reset: known vs unknown email',
    collectionUrl('users', 'request-password-reset'),
    async (t) => (await t.makeUser()).email,
  ),
  sameAnswer(
    'request-verification: unverified known vs unknown email',
    collectionUrl('users', 'request-verification'),
    async (t) => (await t.makeUser()).email,
  ),
  sameAnswer(
    'request-verification: verified known vs unknown email',
    collectionUrl('users', 'request-verification'),
    async (t) => (await t.makeUser({ verified: true })).email,
  ),
  sameAnswer(
    'request-otp: known vs unknown email (same shape, a random otpId either way)',
    collectionUrl('members', 'request-otp'),
    async (t) => {
      await otpCollection(t, 'members');
      return (await addUser(t, 'members')).email;
    },
    shape,
  ),
  sameAnswer(
    'auth-with-password: wrong password vs unknown identity',
    collectionUrl('users', 'auth-with-password'),
    async (t) => (await t.makeUser()).email,
    (b) => b,
    (identity) => ({ identity, password: 'Wrong-Passw0rd-1' }),
  ),
]);

async function failLogins(t: ScenarioContext, key: string, identity: (i: number) => string, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await t.request('POST', `/api/collections/${t.col(key)}/auth-with-password`, {
      body: { identity: identity(i), password: `wrong-${i}` },
    });
    assert.equal(res.status, 400, `attempt ${i + 1}: ${res.text}`);
  }
}

runScenarios('security: brute force', [
  {
    name: '10 wrong passwords for one identity → 429, even for the right password',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('vault')}/auth-with-password`,
    before: async (t) => {
      await t.createCollection({ name: 'vault', type: 'auth' });
      const email = uniqueEmail('vault');
      await t.createRecord('vault', { email, password: 'Right-Passw0rd-1', passwordConfirm: 'Right-Passw0rd-1' });
      t.vars.email = email;
      await failLogins(t, 'vault', () => email, 10);
    },
    body: (t) => ({ identity: t.vars.email, password: 'Right-Passw0rd-1' }),
    expectStatus: 429,
    expectBody: { status: 429, data: {} },
  },
  {
    name: '10 failures for an unknown identity → 429 too (no difference between known and unknown)',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('vault')}/auth-with-password`,
    before: async (t) => {
      await t.createCollection({ name: 'vault', type: 'auth' });
      t.vars.email = uniqueEmail('nobody');
      await failLogins(t, 'vault', () => t.vars.email, 10);
    },
    body: (t) => ({ identity: t.vars.email, password: 'anything' }),
    expectStatus: 429,
  },
  {
    name: '30 failures from one IP over many identities → 429 for the next identity',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('vault')}/auth-with-password`,
    before: async (t) => {
      await t.createCollection({ name: 'vault', type: 'auth' });
      await failLogins(t, 'vault', (i) => `spray-${i}-${t.suffix}@example.com`, 30);
    },
    body: { identity: 'someone-new@example.com', password: 'whatever' },
    expectStatus: 429,
  },
  {
    name: '_superusers: 10 wrong passwords → 429',
    method: 'POST',
    url: '/api/collections/_superusers/auth-with-password',
    before: async (t) => {
      t.vars.email = uniqueEmail('admin');
      await failLogins(t, '_superusers', () => t.vars.email, 10);
    },
    body: (t) => ({ identity: t.vars.email, password: 'guess' }),
    expectStatus: 429,
  },
]);
