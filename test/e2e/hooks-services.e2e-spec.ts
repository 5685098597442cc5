// Hooks run in the process that performs the operation: the split records service runs record hooks
// and the split auth service runs auth hooks from the same `--hooksDir` (issue 7, "where hooks run").
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  HttpClient,
  makeUserInput,
  ManagedProcess,
  OWNER_RULES,
  relation,
  startNestbase,
  startSplitService,
  TEST_CEILING_MS,
  text,
} from '@lib/testing';

const SU = { email: 'hooks-services@example.com', password: 'Hooks-Services-Passw0rd' };
const HOOKS = `module.exports = (app) => {
  app.onRecordBeforeCreate('todos', (e) => {
    if (e.auth && !e.auth.isSuperuser()) {
      e.record.set('owner', e.auth.id);
    }
  });
  app.onRecordAuthRequest(async (e) => {
    await e.next();
    e.response.meta = { ...(e.response.meta || {}), servedBy: 'auth-hook' };
  });
};
`;

let dir = '';
const procs: ManagedProcess[] = [];
let standalone: HttpClient;
let records: HttpClient;
let auth: HttpClient;
let suToken = '';

async function ok<T>(
  client: HttpClient,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const res = await client.request(method, url, { body, token });
  assert.equal(res.status, 200, `${method} ${client.baseUrl}${url}: ${res.status} ${res.text.slice(0, 500)}`);
  return res.json<T>();
}

void describe('hooks in the split records and auth services', { timeout: TEST_CEILING_MS }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-hooks-services-'));
    const hooksDir = join(dir, 'pb_hooks');
    await mkdir(hooksDir);
    await writeFile(join(hooksDir, 'main.pb.js'), HOOKS);
    const data = join(dir, 'data');
    const env = { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password };
    // The standalone server without hooks: it creates the schema and stands for "no hooks here".
    procs.push(await startNestbase(data, [], { env }));
    standalone = new HttpClient(procs[0].baseUrl);
    suToken = (
      await ok<{ token: string }>(standalone, 'POST', '/api/collections/_superusers/auth-with-password', {
        identity: SU.email,
        password: SU.password,
      })
    ).token;
    await ok(
      standalone,
      'POST',
      '/api/collections',
      {
        name: 'todos',
        ...OWNER_RULES,
        createRule: '@request.auth.id != ""',
        fields: [text('title'), relation('owner', '_pb_users_auth_')],
      },
      suToken,
    );
    procs.push(await startSplitService('records', data, ['--hooksDir', hooksDir]));
    procs.push(await startSplitService('auth', data, ['--hooksDir', hooksDir]));
    records = new HttpClient(procs[1].baseUrl);
    auth = new HttpClient(procs[2].baseUrl);
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  void it('the records service runs the owner hook: the todo belongs to its creator whatever was sent', async () => {
    const ann = makeUserInput();
    const bob = makeUserInput();
    const annRecord = await ok<{ id: string }>(standalone, 'POST', '/api/collections/users/records', ann);
    const bobRecord = await ok<{ id: string }>(standalone, 'POST', '/api/collections/users/records', bob);
    const login = await ok<{ token: string }>(auth, 'POST', '/api/collections/users/auth-with-password', {
      identity: ann.email,
      password: ann.password,
    });
    const todo = await ok<{ owner: string }>(
      records,
      'POST',
      '/api/collections/todos/records',
      { title: 'mine', owner: bobRecord.id },
      login.token,
    );
    assert.equal(todo.owner, annRecord.id);
    // The standalone process has no hooks: there the client's owner stands.
    const direct = await ok<{ owner: string }>(
      standalone,
      'POST',
      '/api/collections/todos/records',
      { title: 'theirs', owner: bobRecord.id },
      login.token,
    );
    assert.equal(direct.owner, bobRecord.id);
  });

  void it('the auth service runs onRecordAuthRequest', async () => {
    const cy = makeUserInput();
    await ok(standalone, 'POST', '/api/collections/users/records', cy);
    const res = await ok<{ token: string; meta?: { servedBy?: string } }>(
      auth,
      'POST',
      '/api/collections/users/auth-with-password',
      { identity: cy.email, password: cy.password },
    );
    assert.ok(res.token);
    assert.equal(res.meta?.servedBy, 'auth-hook');
    const plain = await ok<{ meta?: unknown }>(standalone, 'POST', '/api/collections/users/auth-with-password', {
      identity: cy.email,
      password: cy.password,
    });
    assert.equal(plain.meta, undefined);
  });
});
