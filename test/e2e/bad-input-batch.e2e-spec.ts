// Bad-input corpus, batch smuggling: sub-requests aimed at routes other than record create/update/upsert/delete
// (settings, collections, auth, a nested batch), URLs that escape the collection path (`../`, `%2F`, absolute,
// malformed encoding, CR/LF), a per-request Authorization header, and malformed batch bodies. Each: a 400 (or
// 403) in the envelope, and the whole batch rolled back.
import assert from 'node:assert/strict';

import { any, OPEN_RULES, runScenarios, Scenario, ScenarioContext, text, uniqueEmail } from '@lib/testing';

import { envelope, hostileRows } from './support/hostile';

/** Batch on, `todos` (open, title required) with one record; the settings' appName noted. */
async function todos(t: ScenarioContext): Promise<void> {
  await t.setBatch(true, 50);
  await t.createCollection({ name: 'todos', ...OPEN_RULES, fields: [text('title', { required: true })] });
  t.vars.kept = (await t.createRecord('todos', { title: 'kept' })).id;
}

/** Only the seeded record is left, and no collection named `smuggled_*` exists. */
async function rolledBack(t: ScenarioContext): Promise<void> {
  const items = (await t.listRecords('todos')).items;
  assert.deepEqual(
    items.map((r) => r.title),
    ['kept'],
  );
  const smuggled = await t.su.get(`/api/collections/smuggled_${t.suffix}`);
  assert.equal(smuggled.status, 404, 'a collection was created through the batch');
}

const ok = (t: ScenarioContext) => ({ method: 'POST', url: t.records('todos'), body: { title: 'first' } });

/** A batch of a valid create then `smuggled` (built from `t`) → `status` with the failing index 1. */
function smuggle(
  name: string,
  smuggled: (t: ScenarioContext) => Record<string, unknown>,
  options: { auth?: Scenario['auth']; status?: number } = {},
): Scenario {
  const status = options.status ?? 400;
  return {
    name: `${name} → ${status}, rolled back`,
    method: 'POST',
    url: '/api/batch',
    auth: options.auth,
    body: (t) => ({ requests: [ok(t), smuggled(t)] }),
    before: todos,
    expectStatus: status,
    expectBody: envelope(status, status === 400 ? { data: { requests: { '1': { code: any(String) } } } } : {}),
    expectNotContains: ['"smtp"', '"token":"ey'],
    after: rolledBack,
  };
}

const su: Scenario['auth'] = 'superuser';

runScenarios(
  'bad input: batch smuggling',
  hostileRows([
    smuggle('GET /api/settings', () => ({ method: 'GET', url: '/api/settings' }), { auth: su }),
    smuggle(
      'PATCH /api/settings',
      () => ({ method: 'PATCH', url: '/api/settings', body: { meta: { appName: 'x' } } }),
      { auth: su },
    ),
    smuggle(
      'POST /api/collections',
      (t) => ({ method: 'POST', url: '/api/collections', body: { name: `smuggled_${t.suffix}` } }),
      { auth: su },
    ),
    smuggle('DELETE /api/collections/todos', (t) => ({ method: 'DELETE', url: `/api/collections/${t.col('todos')}` }), {
      auth: su,
    }),
    smuggle('a nested batch', (t) => ({ method: 'POST', url: '/api/batch', body: { requests: [ok(t)] } })),
    smuggle('auth-with-password', () => ({
      method: 'POST',
      url: '/api/collections/users/auth-with-password',
      body: { identity: 'a@b.co', password: 'x' },
    })),
    smuggle(
      'records/../../../settings',
      (t) => ({ method: 'PATCH', url: `${t.records('todos')}/../../../settings`, body: {} }),
      { auth: su },
    ),
    smuggle('records%2F..%2F..%2Fsettings', (t) => ({
      method: 'POST',
      url: `${t.records('todos')}%2F..%2F..%2Fsettings`,
    })),
    smuggle('collection ..%2F_superusers', () => ({
      method: 'POST',
      url: '/api/collections/..%2F_superusers/records',
      body: { email: uniqueEmail(), password: 'Passw0rd-12345', passwordConfirm: 'Passw0rd-12345' },
    })),
    smuggle('an absolute URL to another host', (t) => ({
      method: 'POST',
      url: `http://evil.example${t.records('todos')}`,
      body: { title: 'x' },
    })),
    smuggle('a protocol-relative URL', (t) => ({
      method: 'POST',
      url: `//evil.example${t.records('todos')}`,
      body: { title: 'x' },
    })),
    smuggle('malformed percent-encoding in the id', (t) => ({
      method: 'PATCH',
      url: t.records('todos', '%zz'),
      body: { title: 'x' },
    })),
    smuggle('malformed percent-encoding in the collection', () => ({
      method: 'POST',
      url: '/api/collections/%E0%A4%A/records',
      body: { title: 'x' },
    })),
    smuggle('CR/LF and a header in the URL', (t) => ({
      method: 'POST',
      url: `${t.records('todos')}\r\nX-Injected: 1`,
      body: { title: 'x' },
    })),
    smuggle('a create in _superusers by a guest', () => ({
      method: 'POST',
      url: '/api/collections/_superusers/records',
      body: { email: uniqueEmail(), password: 'Passw0rd-12345', passwordConfirm: 'Passw0rd-12345' },
    })),
    smuggle("the superuser's token in a sub-request header", (t) => ({
      method: 'POST',
      url: '/api/collections/_superusers/records',
      headers: { Authorization: t.su.token },
      body: { email: uniqueEmail(), password: 'Passw0rd-12345', passwordConfirm: 'Passw0rd-12345' },
    })),
    {
      ...smuggle('method TRACE', (t) => ({ method: 'TRACE', url: t.records('todos') })),
      expectBody: envelope(400, { data: { requests: { '1': { method: { code: 'validation_in_invalid' } } } } }),
    },
    smuggle('GET of a record (not a batch action)', (t) => ({ method: 'GET', url: t.records('todos', t.vars.kept) })),
    {
      name: 'requests as an object keyed by index → 400',
      method: 'POST',
      url: '/api/batch',
      body: (t) => ({ requests: { '0': ok(t) } }),
      before: todos,
      expectStatus: 400,
      after: rolledBack,
    },
    {
      name: 'requests holding null, a string and an array → 400 per item',
      method: 'POST',
      url: '/api/batch',
      body: { requests: [null, 'POST /api/settings', []] },
      before: todos,
      expectStatus: 400,
      expectBody: envelope(400, { data: { requests: { '0': any(Object), '1': any(Object), '2': any(Object) } } }),
      after: rolledBack,
    },
    {
      name: '@jsonPayload with requests under __proto__ → 400',
      method: 'POST',
      url: '/api/batch',
      body: (t) => {
        const form = new FormData();
        form.append('@jsonPayload', `{"__proto__":{"requests":[${JSON.stringify(ok(t))}]}}`);
        return form;
      },
      before: todos,
      expectStatus: 400,
      after: rolledBack,
    },
    {
      name: 'a sub-request url of 2001 characters → 400',
      method: 'POST',
      url: '/api/batch',
      body: (t) => ({
        requests: [{ method: 'POST', url: `${t.records('todos')}?x=${'a'.repeat(2001)}`, body: { title: 'x' } }],
      }),
      before: todos,
      expectStatus: 400,
      after: rolledBack,
    },
  ]),
);
