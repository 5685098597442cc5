// Bad-input corpus, the superuser and service routes: settings (prototype keys, CR/LF into mail headers, wrong
// types), logs (filter and sort injection), backups (names, uploads), crons, health, file tokens and realtime
// subscriptions (wrong types, limits, line breaks that would forge SSE frames). Each: a 4xx in the envelope or a
// documented 200, and the settings unchanged where the request was refused.
import assert from 'node:assert/strict';
import { after } from 'node:test';

import { Expected, RequestBody, runScenarios, Scenario, ScenarioContext } from '@lib/testing';

import { envelope, hostileRows, UNICODE } from './support/hostile';
import { RawSse } from './support/realtime-helpers';

interface Meta {
  appName: string;
  senderName: string;
  senderAddress: string;
  appURL: string;
}

async function meta(t: ScenarioContext): Promise<Meta> {
  return (await t.su.expectOk<{ meta: Meta }>('GET', '/api/settings')).meta;
}

/** PATCH /api/settings as superuser → `status`; the settings' meta unchanged and free of prototype keys. */
function settings(name: string, body: RequestBody, status: number, field?: Expected): Scenario {
  return {
    name: `settings: ${name} → ${status}`,
    method: 'PATCH',
    url: '/api/settings',
    auth: 'superuser',
    body,
    before: async (t) => {
      t.data = await meta(t);
    },
    expectStatus: status,
    expectBody: field ? envelope(status, { data: field }) : undefined,
    after: async (t) => {
      assert.deepEqual(await meta(t), t.data, 'the settings changed');
      const text = (await t.su.get('/api/settings')).text;
      assert.ok(!text.includes('__proto__') && !text.includes('"constructor"'), text.slice(0, 500));
    },
  };
}

const code = { code: 'validation_invalid_value' };

runScenarios(
  'bad input: settings',
  hostileRows([
    settings('__proto__ at the top', '{"__proto__":{"meta":{"appName":"polluted"}}}', 200),
    settings(
      'constructor.prototype in meta',
      '{"meta":{"constructor":{"prototype":{"x":1}},"__proto__":{"y":1}}}',
      200,
    ),
    settings(
      'senderName with CR/LF and a Bcc header',
      { meta: { senderName: 'Evil\r\nBcc: victim@example.com' } },
      400,
      { meta: { senderName: code } },
    ),
    settings('senderAddress with CR/LF', { meta: { senderAddress: 'a@b.co\r\nBcc: victim@example.com' } }, 400, {
      meta: { senderAddress: code },
    }),
    settings('senderAddress with NUL', { meta: { senderAddress: `a${UNICODE.nul}@b.co` } }, 400, {
      meta: { senderAddress: code },
    }),
    settings('appURL javascript:', { meta: { appURL: 'javascript:alert(1)' } }, 400, { meta: { appURL: code } }),
    settings('appName blank', { meta: { appName: ' ' } }, 400, { meta: { appName: code } }),
    settings('meta as an array', { meta: ['x'] }, 400),
    settings('smtp.port as a string', { smtp: { port: '25' } }, 400),
    settings('trustedProxy header with CR/LF', { trustedProxy: { headers: ['X-Real-IP\r\nX: 1'] } }, 400),
    settings('a JSON array body', '[{"meta":{"appName":"x"}}]', 400),
    settings('malformed JSON', '{"meta":{"appName":', 400),
    { name: 'settings as a guest → 401', method: 'GET', url: '/api/settings', expectStatus: 401 },
    {
      name: 'settings as a user → 403',
      method: 'PATCH',
      url: '/api/settings',
      before: async (t) => t.auth(await t.makeUser()),
      body: { meta: { appName: 'x' } },
      expectStatus: 403,
    },
  ]),
);

const su = (row: Scenario): Scenario => ({ ...row, auth: 'superuser' });
const get = (url: string, status: number): Scenario =>
  su({ name: `GET ${url} → ${status}`, method: 'GET', url, expectStatus: status });
const q = encodeURIComponent;

runScenarios(
  'bad input: logs, backups, crons, health, file tokens',
  hostileRows([
    get(`/api/logs?filter=${q("message = '' OR 1=1 --")}`, 400),
    get(`/api/logs?filter=${q('data.x = "1"; DROP TABLE _logs')}`, 400),
    get(`/api/logs?sort=${q('(SELECT 1)')}`, 400),
    get(`/api/logs?filter=${q('__proto__ = "x"')}`, 400),
    get(`/api/logs/stats?filter=${q('created >= (SELECT 1)')}`, 400),
    get('/api/logs?page=abc', 400),
    get(`/api/logs?fields=${q('__proto__,constructor')}&perPage=1`, 200),
    su({
      name: 'backup named a\\0.zip → 400',
      method: 'POST',
      url: '/api/backups',
      body: { name: `a${UNICODE.nul}.zip` },
      expectStatus: 400,
    }),
    su({
      name: 'backup named with an object → 400',
      method: 'POST',
      url: '/api/backups',
      body: { name: { a: 1 } },
      expectStatus: 400,
    }),
    su({
      name: 'backup upload named ../../x.zip → 204, stored under its base name only',
      method: 'POST',
      url: '/api/backups/upload',
      body: (t) => {
        const form = new FormData();
        const empty = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
        form.append('file', new Blob([empty], { type: 'application/zip' }), `../../up_${t.suffix}.zip`);
        return form;
      },
      expectStatus: 204,
      after: async (t) => {
        const keys = (await t.su.expectOk<{ key: string }[]>('GET', '/api/backups')).map((b) => b.key);
        assert.ok(keys.includes(`up_${t.suffix}.zip`), keys.join(', '));
        assert.ok(!keys.some((k) => k.includes('/') || k.includes('..')), keys.join(', '));
        assert.equal((await t.su.delete(`/api/backups/up_${t.suffix}.zip`)).status, 204);
      },
    }),
    su({
      name: 'backup upload of a non-zip → 400',
      method: 'POST',
      url: '/api/backups/upload',
      body: () => {
        const form = new FormData();
        form.append('file', new Blob(['not a zip']), `notzip_${Date.now()}.zip`);
        return form;
      },
      expectStatus: 400,
    }),
    { name: 'backup download without a token → 403', method: 'GET', url: '/api/backups/x.zip', expectStatus: 403 },
    {
      name: 'backup download with the token param twice → 403 (the first counts)',
      method: 'GET',
      url: '/api/backups/x.zip?token=a&token=b',
      expectStatus: 403,
    },
    su({ name: 'cron id with malformed % → 400', method: 'POST', url: '/api/crons/%zz', expectStatus: 400 }),
    {
      name: 'crons as a user → 403',
      method: 'GET',
      url: '/api/crons',
      before: async (t) => t.auth(await t.makeUser()),
      expectStatus: 403,
    },
    { name: 'POST /api/health → 404', method: 'POST', url: '/api/health', body: {}, expectStatus: 404 },
    {
      name: 'OPTIONS without preflight headers → 204 (a preflight, as PocketBase)',
      method: 'OPTIONS',
      url: '/api/collections',
      expectStatus: 204,
    },
    {
      name: 'GET /api/health?fields=__proto__ → 200',
      method: 'GET',
      url: '/api/health?fields=__proto__,code',
      expectStatus: 200,
    },
    { name: 'file token as a guest → 401', method: 'POST', url: '/api/files/token', expectStatus: 401 },
    {
      name: 'file token with an alg:none header → 401',
      method: 'POST',
      url: '/api/files/token',
      auth: async (t) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${t.su.token.split('.')[1]}.`,
      expectStatus: 401,
    },
  ]),
);

/** Open SSE streams, closed when the file is done (a failing row never keeps the process alive). */
const streams: RawSse[] = [];
after(() => streams.forEach((s) => s.close()));

async function client(t: ScenarioContext): Promise<void> {
  const sse = await RawSse.open(t.http.baseUrl);
  streams.push(sse);
  t.vars.clientId = sse.clientId;
}

/** POST /api/realtime with `body(t)` → `status`. */
function realtime(name: string, body: (t: ScenarioContext) => RequestBody, status: number): Scenario {
  return {
    name: `realtime: ${name} → ${status}`,
    method: 'POST',
    url: '/api/realtime',
    before: client,
    body,
    expectStatus: status,
  };
}

runScenarios(
  'bad input: realtime subscriptions',
  hostileRows([
    realtime('clientId as an object', () => ({ clientId: { a: 1 }, subscriptions: [] }), 400),
    realtime('an unknown clientId', () => ({ clientId: 'x'.repeat(40), subscriptions: [] }), 404),
    realtime('clientId with NUL', (t) => ({ clientId: `${t.vars.clientId}${UNICODE.nul}`, subscriptions: [] }), 404),
    realtime('subscriptions as a string', (t) => ({ clientId: t.vars.clientId, subscriptions: 'posts/*' }), 400),
    realtime(
      '1001 topics',
      (t) => ({ clientId: t.vars.clientId, subscriptions: Array.from({ length: 1001 }, (_, i) => `t${i}`) }),
      400,
    ),
    realtime(
      'a topic of 2501 characters',
      (t) => ({ clientId: t.vars.clientId, subscriptions: ['x'.repeat(2501)] }),
      400,
    ),
    realtime(
      'a topic forging an SSE frame',
      (t) => ({ clientId: t.vars.clientId, subscriptions: ['posts/*\nevent:FORGED\ndata:{}\n\nid:x'] }),
      400,
    ),
    realtime(
      'a topic with a lone CR',
      (t) => ({ clientId: t.vars.clientId, subscriptions: ['posts/*\revent:FORGED'] }),
      400,
    ),
    realtime(
      'a __proto__ topic (a custom topic)',
      (t) => ({ clientId: t.vars.clientId, subscriptions: ['__proto__', 'constructor/*'] }),
      204,
    ),
    realtime('malformed JSON', () => '{"clientId":', 400),
  ]),
);
