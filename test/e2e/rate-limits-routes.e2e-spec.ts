// settings.rateLimits on every route, not only the auth ones: PocketBase's labels (`/api/` prefixes,
// `METHOD /path`, `<collection>:<action>`, `*:<action>`), audiences, precedence and 429 envelope, on record
// CRUD, registration (new and tutorial endpoints), request-* flows, batch, files, realtime and a routerAdd
// route. Every scenario sends its own client IP through X-Forwarded-For (trustedProxy), so its counters are
// its own. Rules nestbase can't honour are refused with a 400 naming them.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';

import { OPEN_RULES, runScenarios, ScenarioContext, text, uniqueEmail } from '@lib/testing';

import { writeHooksDir } from './support/hooks-files';

process.env.NB_HOOKS_DIR = writeHooksDir({
  'limits.pb.js': `module.exports = (app) => { app.routerAdd('GET', '/api/rl/ping', () => ({ pong: true })); };`,
});

const TOO_MANY = { status: 429, message: 'Too Many Requests.', data: {} };
const rule = (label: string, maxRequests: number, audience = '') => ({ label, audience, duration: 60, maxRequests });

/** Enables exactly `rules` (plus X-Forwarded-For as the client address) and picks a fresh client IP. */
async function limits(t: ScenarioContext, rules: unknown[]): Promise<void> {
  await t.su.expectOk('PATCH', '/api/settings', {
    trustedProxy: { headers: ['X-Forwarded-For'], useLeftmostIP: true },
    rateLimits: { enabled: true, rules, excludedIPs: [] },
    batch: { enabled: true },
  });
  t.vars.ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

const asClient = (t: ScenarioContext) => ({ 'x-forwarded-for': t.vars.ip });

/** Sends `method url` as this scenario's client and returns the status. */
async function send(t: ScenarioContext, method: 'GET' | 'POST', url: string, body?: unknown, token?: string) {
  const res = await t.request(method, url, { body, headers: asClient(t), token });
  return res.status;
}

async function posts(t: ScenarioContext): Promise<void> {
  await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title')] });
  await t.createCollection({ name: 'notes', ...OPEN_RULES, fields: [text('title')] });
}

const signup = () => {
  const email = uniqueEmail('rl');
  return { email, password: 'rate-limit-pass-1', passwordConfirm: 'rate-limit-pass-1' };
};

runScenarios('settings.rateLimits on every route', [
  {
    name: '/api/ (3 per 60 s) counts every API route of a guest together: health, records, collections, realtime',
    method: 'GET',
    url: '/api/health',
    before: async (t) => {
      await posts(t);
      await limits(t, [rule('/api/', 3)]);
      assert.equal(await send(t, 'GET', t.records('posts')), 200);
      assert.equal(await send(t, 'GET', '/api/collections'), 401);
      assert.equal(await send(t, 'POST', '/api/realtime', { clientId: 'nope', subscriptions: [] }), 404);
    },
    headers: asClient,
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: '<collection>:list limits that collection’s list only (view and other collections stay open)',
    method: 'GET',
    url: (t) => t.records('posts'),
    before: async (t) => {
      await posts(t);
      const post = await t.createRecord('posts', { title: 'a' });
      await limits(t, [rule(`${t.col('posts')}:list`, 2)]);
      assert.equal(await send(t, 'GET', t.records('posts')), 200);
      assert.equal(await send(t, 'GET', t.records('posts')), 200);
      assert.equal(await send(t, 'GET', t.records('posts', post.id)), 200, 'view is another action');
      assert.equal(await send(t, 'GET', t.records('notes')), 200, 'another collection');
    },
    headers: asClient,
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: '<collection>:list wins over *:list, whatever the rule order',
    method: 'GET',
    url: (t) => t.records('posts'),
    before: async (t) => {
      await posts(t);
      await limits(t, [rule('*:list', 1), rule(`${t.col('posts')}:list`, 3)]);
      for (let i = 0; i < 3; i += 1) {
        assert.equal(await send(t, 'GET', t.records('posts')), 200, `list ${i + 1}`);
      }
      assert.equal(await send(t, 'GET', t.records('notes')), 200);
      assert.equal(await send(t, 'GET', t.records('notes')), 429, '*:list applies to the other collection');
    },
    headers: asClient,
    expectStatus: 429,
  },
  {
    name: '*:create limits record creates in every collection',
    method: 'POST',
    url: (t) => t.records('notes'),
    before: async (t) => {
      await posts(t);
      await limits(t, [rule('*:create', 1)]);
      assert.equal(await send(t, 'POST', t.records('posts'), { title: 'x' }), 200);
      assert.equal(await send(t, 'POST', t.records('notes'), { title: 'x' }), 200);
    },
    headers: asClient,
    body: { title: 'y' },
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: 'users:create limits registration, through the tutorial’s POST /api/users too',
    method: 'POST',
    url: '/api/users',
    before: async (t) => {
      await limits(t, [rule('users:create', 1)]);
      assert.equal(await send(t, 'POST', '/api/collections/users/records', signup()), 200);
    },
    headers: asClient,
    body: signup,
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: '*:requestPasswordReset limits password-reset requests',
    method: 'POST',
    url: '/api/collections/users/request-password-reset',
    before: async (t) => {
      await limits(t, [rule('*:requestPasswordReset', 1)]);
      assert.equal(await send(t, 'POST', '/api/collections/users/request-password-reset', { email: 'a@b.c' }), 204);
    },
    headers: asClient,
    body: { email: 'a@b.c' },
    expectStatus: 429,
  },
  {
    name: '/api/batch limits batch requests',
    method: 'POST',
    url: '/api/batch',
    before: async (t) => {
      await posts(t);
      await limits(t, [rule('/api/batch', 1)]);
      const batch = { requests: [{ method: 'POST', url: t.records('posts'), body: { title: 'b' } }] };
      assert.equal(await send(t, 'POST', '/api/batch', batch), 200);
    },
    headers: asClient,
    body: (t) => ({ requests: [{ method: 'POST', url: t.records('posts'), body: { title: 'c' } }] }),
    expectStatus: 429,
  },
  {
    name: '*:file limits file downloads',
    method: 'GET',
    url: (t) => `/api/files/${t.col('posts')}/abc/missing.txt`,
    before: async (t) => {
      await posts(t);
      await limits(t, [rule('*:file', 1)]);
      assert.equal(await send(t, 'GET', `/api/files/${t.col('posts')}/abc/missing.txt`), 404);
    },
    headers: asClient,
    expectStatus: 429,
  },
  {
    name: 'GET /api/realtime (METHOD /path) limits realtime connections',
    method: 'GET',
    url: '/api/realtime',
    before: async (t) => {
      await limits(t, [rule('GET /api/realtime', 1)]);
      const first = await fetch(`${t.http.baseUrl}/api/realtime`, { headers: asClient(t) });
      assert.equal(first.status, 200);
      await first.body?.cancel();
    },
    headers: asClient,
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: 'a routerAdd route is limited by its path prefix',
    method: 'GET',
    url: '/api/rl/ping',
    before: async (t) => {
      await limits(t, [rule('/api/rl/', 1)]);
      assert.equal(await send(t, 'GET', '/api/rl/ping'), 200);
    },
    headers: asClient,
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: 'an @guest rule limits guests only; an authenticated client goes on',
    method: 'GET',
    url: (t) => t.records('posts'),
    before: async (t) => {
      await posts(t);
      const user = await t.makeUser();
      await limits(t, [rule('/api/', 1, '@guest')]);
      assert.equal(await send(t, 'GET', t.records('posts')), 200);
      assert.equal(await send(t, 'GET', t.records('posts')), 429);
      for (let i = 0; i < 3; i += 1) {
        assert.equal(await send(t, 'GET', t.records('posts'), undefined, user.token), 200, 'auth is not limited');
      }
    },
    headers: asClient,
    expectStatus: 429,
  },
  {
    name: 'an @auth rule limits authenticated clients only',
    method: 'GET',
    url: (t) => t.records('posts'),
    auth: async (t) => t.vars.token,
    before: async (t) => {
      await posts(t);
      t.vars.token = (await t.makeUser()).token;
      await limits(t, [rule('/api/', 1, '@auth')]);
      for (let i = 0; i < 3; i += 1) {
        assert.equal(await send(t, 'GET', t.records('posts')), 200, 'guests are not limited');
      }
      assert.equal(await send(t, 'GET', t.records('posts'), undefined, t.vars.token), 200);
    },
    headers: asClient,
    expectStatus: 429,
  },
  {
    name: 'a / rule spares the probes and CORS preflights, and limits the rest',
    method: 'GET',
    url: '/api/health',
    before: async (t) => {
      await limits(t, [rule('/', 1)]);
      for (let i = 0; i < 2; i += 1) {
        assert.equal(await send(t, 'GET', '/healthz'), 200, 'liveness probe');
        const preflight = await t.request('OPTIONS', '/api/health', {
          headers: { ...asClient(t), origin: 'http://x.test', 'access-control-request-method': 'GET' },
        });
        assert.equal(preflight.status, 204, 'CORS preflight');
      }
      assert.equal(await send(t, 'GET', '/api/health'), 200);
    },
    headers: asClient,
    expectStatus: 429,
  },
  {
    name: 'superusers are never limited',
    method: 'GET',
    url: '/api/settings',
    auth: 'superuser',
    before: async (t) => {
      await limits(t, [rule('/api/', 1)]);
      assert.equal(await send(t, 'GET', '/api/settings', undefined, t.su.token), 200);
    },
    headers: asClient,
    expectStatus: 200,
  },
  {
    name: 'disabled: the same rules do nothing',
    method: 'GET',
    url: '/api/health',
    before: async (t) => {
      await limits(t, [rule('/api/', 1)]);
      await t.su.expectOk('PATCH', '/api/settings', { rateLimits: { enabled: false } });
      assert.equal(await send(t, 'GET', '/api/health'), 200);
    },
    headers: asClient,
    expectStatus: 200,
  },
]);

const refused = (label: string, code: string, extra: Record<string, unknown> = {}) => ({
  name: `a rule nestbase can't honour is refused, not stored: ${label} (${code})`,
  method: 'PATCH' as const,
  url: '/api/settings',
  auth: 'superuser' as const,
  before: async (t: ScenarioContext) => {
    t.vars.stored = JSON.stringify((await t.su.expectOk<{ rateLimits: unknown }>('GET', '/api/settings')).rateLimits);
  },
  body: { rateLimits: { enabled: true, rules: [rule('/api/', 100), { ...rule(label, 5), ...extra }] } },
  expectStatus: 400,
  expectBody: {
    status: 400,
    data: { rateLimits: { rules: { '1': { [Object.keys(extra)[0] ?? 'label']: { code } } } } },
  },
  after: async (t: ScenarioContext) => {
    const settings = await t.su.expectOk<{ rateLimits: unknown }>('GET', '/api/settings');
    assert.equal(JSON.stringify(settings.rateLimits), t.vars.stored, 'nothing was stored');
  },
});

runScenarios('PATCH /api/settings rateLimits validation', [
  refused('*:createRecord', 'validation_unsupported_rate_limit_label'),
  refused('test_a', 'validation_unsupported_rate_limit_label'),
  refused('FETCH /api/', 'validation_unsupported_rate_limit_label'),
  refused('/api/?x=1', 'validation_match_invalid'),
  refused('*:auth', 'validation_min_number_constraint', { maxRequests: 0 }),
  refused('*:auth', 'validation_in_invalid', { audience: '@everyone' }),
  refused('/api/', 'validation_conflicting_rate_limit_rule'),
  {
    name: 'enabled with no rules is refused',
    method: 'PATCH',
    url: '/api/settings',
    auth: 'superuser',
    body: { rateLimits: { enabled: true, rules: [] } },
    expectStatus: 400,
    expectBody: { data: { rateLimits: { rules: { code: 'validation_required' } } } },
  },
  {
    name: 'an unknown rateLimits key is refused',
    method: 'PATCH',
    url: '/api/settings',
    auth: 'superuser',
    body: { rateLimits: { perSecond: 5 } },
    expectStatus: 400,
    expectBody: { data: { rateLimits: { perSecond: { code: 'validation_unknown_setting' } } } },
  },
  {
    name: 'PocketBase’s default rules and the failed-login counters (maxRequests 0 = off) are accepted',
    method: 'PATCH',
    url: '/api/settings',
    auth: 'superuser',
    body: {
      rateLimits: {
        enabled: false,
        rules: [
          rule('*:auth', 2),
          rule('*:create', 20),
          rule('/api/batch', 3),
          rule('/api/', 300),
          rule('POST /api/collections/', 10, '@guest'),
          rule('users:authFailure', 0),
          rule('*:authFailureIP', 50),
        ],
      },
    },
    expectStatus: 200,
    expectBody: { rateLimits: { enabled: false } },
  },
]);
