// Numbers out of range are a 400 (never SQLite's "datatype mismatch" 500), and an error answer never carries
// the request's payload: what it quotes of user input is cut short (security issue 13, findings 9 and 10).
import assert from 'node:assert/strict';

import { Expected, file, OPEN_RULES, runScenarios, Scenario, ScenarioContext, text } from '@lib/testing';

async function posts(t: ScenarioContext): Promise<void> {
  await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title'), file('doc', { maxSelect: 1 })] });
  await t.createRecord('posts', { title: 'one' });
}

/** A list query param value that must be refused with a 400 naming the param. */
function badListParam(query: string, message: RegExp): Scenario {
  return {
    name: `list ?${query} → 400`,
    method: 'GET',
    url: (t) => t.records('posts', undefined, `?${query}`),
    before: posts,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: async (_t, res) => assert.match(String((res.body as { message: string }).message), message),
  };
}

/** A settings patch with an out-of-range number: 400 naming the key, settings unchanged. */
function badSetting(name: string, patch: Record<string, unknown>, expected: Expected): Scenario {
  return {
    name: `settings ${name} → 400`,
    method: 'PATCH',
    url: '/api/settings',
    auth: 'superuser',
    body: patch,
    expectStatus: 400,
    expectBody: { status: 400, data: expected },
  };
}

const BIG = 900 * 1024;
const BOUNDARY = 'nb-echo-boundary';

/** A multipart body whose file field `doc` gets a part without a filename (a text value) of BIG bytes. */
function namelessFilePart(): Uint8Array {
  const head =
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="doc"\r\n\r\n`;
  return new TextEncoder().encode(`${head}${'A'.repeat(BIG)}\r\n--${BOUNDARY}--\r\n`);
}

/** The answer is a 400 envelope far smaller than the payload, quoting at most a short cut of it. */
function small(maxBytes: number) {
  return async (_t: ScenarioContext, res: { text: string }): Promise<void> => {
    assert.ok(res.text.length < maxBytes, `error body of ${res.text.length} bytes`);
    assert.ok(!res.text.includes('A'.repeat(1000)), 'the payload is echoed');
  };
}

runScenarios('numbers out of range are a 400', [
  badListParam('page=99999999999999999999', /page/),
  badListParam('perPage=99999999999999999999', /perPage/),
  badListParam('page=-99999999999999999999', /page/),
  badListParam('page=9007199254740991&perPage=1000', /page/),
  badListParam('page=1e3', /page/),
  {
    name: 'list ?page=9007199254740 (a safe offset far past the end) → 200, no items',
    method: 'GET',
    url: (t) => t.records('posts', undefined, '?page=9007199254740&perPage=1'),
    before: posts,
    expectStatus: 200,
    expectBody: { page: 9007199254740, items: [] },
  },
  {
    name: 'collections list ?page=99999999999999999999 → 400',
    method: 'GET',
    url: '/api/collections?page=99999999999999999999',
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  badSetting('batch.maxRequests 2^53', { batch: { maxRequests: 2 ** 53 } }, { batch: { maxRequests: {} } }),
  badSetting('batch.maxRequests 1.5', { batch: { maxRequests: 1.5 } }, { batch: { maxRequests: {} } }),
  badSetting('batch.maxBodySize -1', { batch: { maxBodySize: -1 } }, { batch: { maxBodySize: {} } }),
  badSetting('smtp.port 70000', { smtp: { port: 70000 } }, { smtp: { port: {} } }),
  badSetting('logs.maxDays 2^60', { logs: { maxDays: 2 ** 60 } }, { logs: { maxDays: {} } }),
  badSetting(
    'rateLimits rule duration 0',
    { rateLimits: { enabled: false, rules: [{ label: '*:list', duration: 0, maxRequests: 10 }] } },
    { rateLimits: { rules: { '0': { duration: {} } } } },
  ),
  {
    name: 'settings batch.timeout 1e400 (raw JSON) → 400, timeout unchanged',
    method: 'PATCH',
    url: '/api/settings',
    auth: 'superuser',
    body: '{"batch":{"timeout":1e400}}',
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to read the JSON body: a number is out of range.', data: {} },
    after: async (t) => {
      const settings = (await t.su.get('/api/settings')).body as { batch: { timeout: number } };
      assert.equal(typeof settings.batch.timeout, 'number');
      assert.ok(Number.isFinite(settings.batch.timeout));
    },
  },
]);

runScenarios('numbers beyond a double or a count are a 400', [
  {
    name: 'a JSON body number 1e400 (Infinity) → 400, nothing stored',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: '{"title": "big", "n": 1e400}',
    before: posts,
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to read the JSON body: a number is out of range.', data: {} },
    after: async (t) => assert.equal(await t.countRecords('posts'), 1),
  },
  {
    name: 'an @jsonPayload number -1e999 → 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: () => {
      const form = new FormData();
      form.append('@jsonPayload', '{"title": "big", "n": -1e999}');
      return form;
    },
    before: posts,
    expectStatus: 400,
    expectBody: { status: 400, message: 'Invalid @jsonPayload: a number is out of range.' },
  },
  {
    name: 'a file field maxSize of 1e23 → 400',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    body: { name: `big_${Date.now()}`, fields: [{ name: 'f', type: 'file', maxSize: 1e23 }] },
    expectStatus: 400,
    expectBody: { data: { fields: { '1': { maxSize: { code: 'validation_invalid_value' } } } } },
  },
  {
    name: 'a big but finite record number (1e23) is still a number',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    body: { name: `finite_${Date.now()}`, fields: [{ name: 'n', type: 'number', max: 1e300 }] },
    expectStatus: 200,
    expectBody: { fields: [{ name: 'id' }, { name: 'n', max: 1e300 }] },
  },
]);

runScenarios('error answers never carry the payload', [
  {
    name: 'a 900 KB file part without a filename (a text value) → small 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: namelessFilePart,
    before: posts,
    expectStatus: 400,
    expectBody: { status: 400, data: { doc: { code: 'validation_invalid_file' } } },
    after: small(4000),
  },
  {
    name: 'a 3000-character filter → the parse error quotes a short cut of it',
    method: 'GET',
    url: (t) => t.records('posts', undefined, `?filter=${encodeURIComponent(`title = '${'A'.repeat(3000)}`)}`),
    before: posts,
    expectStatus: 400,
    after: small(2000),
  },
  {
    name: 'an 8000-character unknown modifier in fields → small 400',
    method: 'GET',
    url: (t) => t.records('posts', undefined, `?fields=${encodeURIComponent(`title:${'A'.repeat(8000)}`)}`),
    before: posts,
    expectStatus: 400,
    after: small(2000),
  },
  {
    name: 'a 5000-character collection name → small 414 envelope',
    method: 'GET',
    url: `/api/collections/${'A'.repeat(5000)}/records/${'A'.repeat(5000)}`,
    expectStatus: 414,
    expectBody: { status: 414, data: {} },
    after: small(2000),
  },
  {
    name: 'a 500 KB string as a file field value (JSON) → small 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { title: 'A'.repeat(500_000), doc: 'A'.repeat(500_000) },
    before: posts,
    expectStatus: 400,
    after: small(4000),
  },
]);
