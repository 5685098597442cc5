// AuthService on in-memory fakes (libs/testing): password auth, refresh, the authRule, MFA sessions and login
// alerts, with the real TokenService and MfaService on a manual clock — so a failure here names the auth layer,
// not SQL, bcrypt or HTTP. The authRule conditions that need SQL and the failure lockouts of the
// interceptor are the API tier's (auth-ratelimit, auth-mfa e2e); OTP sign-in is otp-auth.service.spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError, ForbiddenError, loadConfig, NotFoundError, UnauthorizedError } from '@lib/core';
import { QueryCompiler } from '@lib/query';
import { CollectionsRegistry, RecordPresenter, RuleGuard, type RecordData, type RecordRequest } from '@lib/records';
import { buildCollection, type CollectionModel } from '@lib/schema';
import {
  FakePasswordHasher,
  InMemoryAuthOriginRepository,
  InMemoryAuthRecordRepository,
  InMemoryMfaRepository,
  InMemoryRecordRepository,
  ManualClock,
  RecordingAuthMail,
} from '@lib/fakes';
import { AuthAlertService } from './auth-alert.service';
import { AuthHelpers } from './auth-helpers';
import { AuthService } from './auth.service';
import { MfaService } from './mfa/mfa.service';
import { MfaRequiredError } from './mfa/mfa-required.error';
import { TokenService } from './token.service';

const PASSWORD = 'Secret-Passw0rd';
const REQUEST: RecordRequest = { auth: null, query: {}, headers: {}, method: 'POST', context: 'default' };
const from = (ip: string, agent = 'spec'): RecordRequest =>
  ({ ...REQUEST, headers: { user_agent: agent }, ip }) as RecordRequest;

/** Counts bcrypt-equivalent compares, so a spec can see an unknown identity costs one too. */
class CountingHasher extends FakePasswordHasher {
  compares = 0;
  override verify(plain: string, hash: string): Promise<boolean> {
    this.compares++;
    return super.verify(plain, hash);
  }
}

function authCollection(name: string, options: Record<string, unknown>, others: CollectionModel[]) {
  return buildCollection(
    {
      name,
      type: 'auth',
      fields: [{ name: 'username', type: 'text' }],
      indexes: [`CREATE UNIQUE INDEX idx_username_${name} ON ${name} (username)`],
      ...options,
    },
    undefined,
    others,
  );
}

function setup() {
  const clock = new ManualClock();
  const registry = new CollectionsRegistry();
  const users = authCollection(
    'users',
    {
      passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
      authAlert: { enabled: true, emailTemplate: { subject: 'alert', body: 'alert' } },
    },
    [],
  );
  const secure = authCollection('secure', { otp: { enabled: true }, mfa: { enabled: true, duration: 300, rule: '' } }, [
    users,
  ]);
  const closed = authCollection('closed', { passwordAuth: { enabled: false, identityFields: ['email'] } }, [
    users,
    secure,
  ]);
  const locked = authCollection('locked', { authRule: null }, [users, secure, closed]);
  const posts = buildCollection({ name: 'posts', fields: [] }, undefined, [users, secure, closed, locked]);
  registry.replaceAll([users, secure, closed, locked, posts]);

  const records = new InMemoryRecordRepository();
  const rules = new RuleGuard(new QueryCompiler(), registry);
  const presenter = new RecordPresenter(registry, records, rules, loadConfig({}));
  const tokens = new TokenService(clock);
  const hasher = new CountingHasher();
  const mail = new RecordingAuthMail();
  const mfaSessions = new InMemoryMfaRepository(clock);
  const mfa = new MfaService(mfaSessions, records, rules, clock);
  const alerts = new AuthAlertService(new InMemoryAuthOriginRepository(clock), mail, clock);
  const helpers = new AuthHelpers(hasher, rules, alerts, mfa);
  const service = new AuthService(
    new InMemoryAuthRecordRepository(records),
    registry,
    records,
    presenter,
    tokens,
    helpers,
  );

  let n = 0;
  /** A stored auth record (its columns as the repository keeps them) with the spec's password. */
  const addUser = (c: CollectionModel, extra: Record<string, unknown> = {}): RecordData => {
    n++;
    const row = {
      id: `user${String(n).padStart(11, '0')}`,
      email: `u${n}@example.com`,
      username: `user${n}`,
      password: `hashed:${PASSWORD}`,
      tokenKey: `key${n}`,
      verified: true,
      emailVisibility: false,
      ...extra,
    };
    records.seed(c, row);
    return row;
  };
  return { service, clock, tokens, hasher, mail, mfaSessions, users, secure, locked, addUser };
}

const password = (identity: string, pass = PASSWORD, extra: Record<string, unknown> = {}) => ({
  identity,
  password: pass,
  ...extra,
});

void describe('AuthService', () => {
  void it('signs in with email or username: a token for the record, the email shown, no password', async () => {
    const { service, tokens, users, addUser } = setup();
    const user = addUser(users);
    for (const identity of [String(user.email), String(user.username)]) {
      const res = await service.authWithPassword('users', password(identity), '', REQUEST);
      assert.equal(res.record.id, user.id);
      assert.equal(res.record.email, user.email, 'the signed-in record sees its own email');
      assert.equal('password' in res.record || 'tokenKey' in res.record, false);
      const claims = tokens.verify(res.token, users, user, 'auth');
      assert.equal(claims?.refreshable, true);
    }
  });

  void it('answers a missing or non-auth collection with 404', async () => {
    const { service } = setup();
    await assert.rejects(service.authWithPassword('nope', password('a@b.c'), '', REQUEST), NotFoundError);
    await assert.rejects(service.authWithPassword('posts', password('a@b.c'), '', REQUEST), NotFoundError);
  });

  void it('refuses password auth where it is disabled (403) and blank input (400 naming the fields)', async () => {
    const { service } = setup();
    await assert.rejects(service.authWithPassword('closed', password('a@b.c'), '', REQUEST), ForbiddenError);
    const blank = await service.authWithPassword('users', { identity: '' }, '', REQUEST).catch((e: unknown) => e);
    assert.ok(blank instanceof BadRequestError, String(blank));
    assert.deepEqual(Object.keys(blank.data).sort(), ['identity', 'password']);
    await assert.rejects(
      service.authWithPassword('users', password('a@b.c', 'x'.repeat(256)), '', REQUEST),
      BadRequestError,
    );
  });

  void it('fails a wrong password and an unknown identity alike, each after one password compare', async () => {
    const { service, hasher, users, addUser } = setup();
    const user = addUser(users);
    const failures = [password(String(user.email), 'wrong'), password('nobody@example.com')];
    for (const body of failures) {
      const before = hasher.compares;
      const error = await service.authWithPassword('users', body, '', REQUEST).catch((e: unknown) => e);
      assert.ok(error instanceof BadRequestError && error.message === 'Failed to authenticate.', String(error));
      assert.equal(hasher.compares - before, 1);
    }
  });

  void it('looks only in the identityField asked for, when it is one of the allowed ones', async () => {
    const { service, users, addUser } = setup();
    const user = addUser(users);
    const byName = password(String(user.username), PASSWORD, { identityField: 'username' });
    assert.equal((await service.authWithPassword('users', byName, '', REQUEST)).record.id, user.id);
    const wrongField = password(String(user.username), PASSWORD, { identityField: 'email' });
    await assert.rejects(service.authWithPassword('users', wrongField, '', REQUEST), BadRequestError);
    const notAllowed = password(String(user.id), PASSWORD, { identityField: 'id' });
    await assert.rejects(service.authWithPassword('users', notAllowed, '', REQUEST), BadRequestError);
  });

  void it('refuses everyone with 403 when the authRule is locked (null)', async () => {
    const { service, locked, addUser } = setup();
    const user = addUser(locked);
    await assert.rejects(service.authWithPassword('locked', password(String(user.email)), '', REQUEST), ForbiddenError);
  });

  void it('refreshes: 401 without auth, 403 for another collection, a new token that expires with the clock', async () => {
    const { service, clock, tokens, users, secure, addUser } = setup();
    const user = addUser(users);
    await assert.rejects(service.authRefresh('users', '', REQUEST), UnauthorizedError);
    const asOther = { collectionId: secure.id, collectionName: 'secure', record: user, isSuperuser: false };
    await assert.rejects(service.authRefresh('users', '', { ...REQUEST, auth: asOther }), ForbiddenError);
    const auth = { collectionId: users.id, collectionName: 'users', record: user, isSuperuser: false };
    const { token } = await service.authRefresh('users', '', { ...REQUEST, auth });
    const duration = (users.authToken as { duration: number }).duration;
    clock.advance((duration - 1) * 1000);
    assert.ok(tokens.verify(token, users, user, 'auth'), 'valid until its duration');
    clock.advance(2000);
    assert.equal(tokens.verify(token, users, user, 'auth'), null, 'expired after its duration');
  });

  void it('gives a non-refreshable (impersonation) token back unchanged', async () => {
    const { service, users, addUser } = setup();
    const user = addUser(users);
    const auth = { collectionId: users.id, collectionName: 'users', record: user, isSuperuser: false };
    const res = await service.authRefresh('users', '', {
      ...REQUEST,
      auth: { ...auth, refreshable: false, token: 'the-impersonation-token' },
    });
    assert.equal(res.token, 'the-impersonation-token');
    assert.equal(res.record.email, user.email);
  });

  void it('MFA: a first factor gets 401 {mfaId}; the same method again is refused; another one signs in', async () => {
    const { service, mfaSessions, secure, addUser } = setup();
    const user = addUser(secure);
    const first = await service
      .authWithPassword('secure', password(String(user.email)), '', REQUEST)
      .catch((e: unknown) => e);
    assert.ok(first instanceof MfaRequiredError, String(first));
    assert.equal(mfaSessions.rows.size, 1);
    const again = password(String(user.email), PASSWORD, { mfaId: first.mfaId });
    const same = await service.authWithPassword('secure', again, '', REQUEST).catch((e: unknown) => e);
    assert.ok(same instanceof BadRequestError && /different authentication method/.test(same.message), String(same));
    const otp = { method: 'otp' as const, mfaId: first.mfaId };
    const res = await service.authResponse(secure, user, '', { ...REQUEST, context: 'otp' }, otp);
    assert.equal(res.record.id, user.id);
    assert.equal(mfaSessions.rows.size, 0, 'the session is spent');
  });

  void it("MFA: a session past its duration is refused and removed; another record's session is refused", async () => {
    const { service, clock, mfaSessions, secure, addUser } = setup();
    const user = addUser(secure);
    const other = addUser(secure);
    const mfaIdOf = (record: RecordData) =>
      service
        .authWithPassword('secure', password(String(record.email)), '', REQUEST)
        .then(() => assert.fail('no MFA asked'))
        .catch((e: unknown) => (e as MfaRequiredError).mfaId);
    const theirs = await mfaIdOf(other);
    const stolen = await service
      .authResponse(secure, user, '', REQUEST, { method: 'otp', mfaId: theirs })
      .catch((e: unknown) => e);
    assert.ok(stolen instanceof BadRequestError && stolen.message === 'Invalid MFA session.', String(stolen));
    const mine = await mfaIdOf(user);
    clock.advance(301_000);
    const late = await service
      .authResponse(secure, user, '', REQUEST, { method: 'otp', mfaId: mine })
      .catch((e: unknown) => e);
    assert.ok(late instanceof BadRequestError && /expired/.test(late.message), String(late));
    assert.equal(mfaSessions.rows.has(mine), false);
  });

  void it('alerts by mail on a login from a new place, not on the first login nor a known place', async () => {
    const { service, mail, users, addUser } = setup();
    const user = addUser(users);
    const body = password(String(user.email));
    await service.authWithPassword('users', body, '', from('10.0.0.1'));
    await service.authWithPassword('users', body, '', from('10.0.0.1'));
    assert.deepEqual(mail.sent, [], 'first and known place');
    await service.authWithPassword('users', body, '', from('10.0.0.2'));
    assert.deepEqual(mail.sent, [`authAlert ${String(user.email)}`]);
    const auth = { collectionId: users.id, collectionName: 'users', record: user, isSuperuser: false };
    await service.authRefresh('users', '', { ...from('10.0.0.3'), auth });
    assert.equal(mail.sent.length, 1, 'a refresh is no login');
  });
});
