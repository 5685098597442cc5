// `settings.openapi.public`: false by default (the document shows the schema, so only superusers read it); true
// serves /api/openapi.json to anyone. It is validated as the other settings are, and the cached document follows it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, RunningServer, startTestServer, tokenFor } from '@lib/testing';

let server: RunningServer;
let http: HttpClient;
let su = '';

async function setPublic(value: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await http.request('PATCH', '/api/settings', { token: su, body: { openapi: { public: value } } });
  return { status: res.status, body: res.json<Record<string, unknown>>() };
}

void describe('settings.openapi.public', () => {
  before(async () => {
    server = await startTestServer(process.env);
    http = new HttpClient(server.baseUrl);
    su = await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword);
  });
  after(async () => {
    await setPublic(false).catch(() => undefined);
    await server?.stop();
  });

  void it('is stored with the settings, false by default', async () => {
    const res = await http.request('GET', '/api/settings', { token: su });
    assert.deepEqual(res.json<{ openapi: unknown }>().openapi, { public: false });
  });

  void it('rejects a value that is not a boolean with a field error, changing nothing', async () => {
    const res = await setPublic('yes');
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.data, {
      openapi: { public: { code: 'validation_invalid_value', message: 'Must be a boolean.' } },
    });
    assert.equal((await http.request('GET', '/api/openapi.json')).status, 401);
  });

  void it('serves the document to guests while true, and stops when false again', async () => {
    const on = await setPublic(true);
    assert.equal(on.status, 200);
    assert.deepEqual(on.body.openapi, { public: true });
    const guest = await http.request('GET', '/api/openapi.json');
    assert.equal(guest.status, 200);
    const doc = guest.json<{ paths: Record<string, unknown> }>();
    assert.ok(doc.paths['/api/collections/users/records']);
    assert.equal((await setPublic(false)).status, 200);
    assert.equal((await http.request('GET', '/api/openapi.json')).status, 401);
  });
});
