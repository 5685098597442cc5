// Issue 16 through the HTTP API: the indexes a collection's read rules imply are added to its `indexes` (and stay
// removable, and follow renames), the index advisor leaves an app log entry naming the index a list wants, list
// totals follow every write, and a taken custom id or a failing create rule is still a 400.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, ManagedProcess, startNestbase, TEST_CEILING_MS, tokenFor, WAIT_CEILING_MS } from '@lib/testing';

const SU = { PB_ADMIN_EMAIL: 'idx-su@example.com', PB_ADMIN_PASSWORD: 'Idx-Su-Passw0rd' };
const OWNER = 'owner = @request.auth.id';
const PASSWORD = 'idx-user-pw-1234';

let proc: ManagedProcess;
let http: HttpClient;
let su: string;
let dir: string;

const todos = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  listRule: OWNER,
  viewRule: OWNER,
  createRule: OWNER,
  fields: [
    { name: 'title', type: 'text' },
    { name: 'completed', type: 'bool' },
    { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    { name: 'assignee', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    { name: 'watchers', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 5 },
    { name: 'created', type: 'autodate', onCreate: true },
  ],
  ...extra,
});

const idx = (table: string, name: string, cols: string[]) =>
  `CREATE INDEX \`${name}\` ON \`${table}\` (${cols.map((c) => `\`${c}\``).join(', ')})`;

async function call<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  token: string,
  body?: unknown,
) {
  const res = await http.request(method, url, { token, body });
  return { status: res.status, body: res.json<T>() };
}

async function user(email: string): Promise<{ id: string; token: string }> {
  const made = await call('POST', '/api/collections/users/records', '', {
    email,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
  });
  assert.equal(made.status, 200);
  return { id: String(made.body.id), token: await tokenFor(http, 'users', email, PASSWORD) };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nb-rule-idx-'));
  proc = await startNestbase(dir, [], { env: { ...SU, NB_SLOW_LIST_MS: '0' } });
  http = new HttpClient(proc.baseUrl);
  su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
});

after(async () => {
  await proc?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

void describe('indexes the rules imply', { timeout: TEST_CEILING_MS }, () => {
  void it('a field compared with @request.auth.id gets (field, created); a multiple relation none', async () => {
    const res = await call('POST', '/api/collections', su, todos('idx_a'));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.indexes, [idx('idx_a', 'idx_idx_a_owner_created', ['owner', 'created'])]);
  });

  void it('an index already leading with the field is enough', async () => {
    const own = idx('idx_b', 'idx_b_mine', ['owner', 'completed']);
    const res = await call('POST', '/api/collections', su, todos('idx_b', { indexes: [own] }));
    assert.deepEqual(res.body.indexes, [own]);
  });

  void it('removable: it stays removed while the rule stays; a new rule field gets its own', async () => {
    await call('POST', '/api/collections', su, todos('idx_c'));
    const removed = await call('PATCH', '/api/collections/idx_c', su, { indexes: [] });
    assert.deepEqual(removed.body.indexes, []);
    const again = await call('PATCH', '/api/collections/idx_c', su, { viewRule: `${OWNER} || title = 'x'` });
    assert.deepEqual(again.body.indexes, []);
    const assignee = await call('PATCH', '/api/collections/idx_c', su, { listRule: 'assignee = @request.auth.id' });
    assert.deepEqual(assignee.body.indexes, [idx('idx_c', 'idx_idx_c_assignee_created', ['assignee', 'created'])]);
  });

  void it('survives updates and renames (the table follows, the name stays)', async () => {
    await call('POST', '/api/collections', su, todos('idx_d'));
    const renamed = await call('PATCH', '/api/collections/idx_d', su, { name: 'idx_d2', listRule: OWNER });
    assert.equal(renamed.status, 200);
    assert.deepEqual(renamed.body.indexes, [idx('idx_d2', 'idx_idx_d_owner_created', ['owner', 'created'])]);
    const read = await call('GET', '/api/collections/idx_d2', su);
    assert.deepEqual(read.body.indexes, renamed.body.indexes);
    // A new collection under the old name gets a fresh index name.
    const reused = await call('POST', '/api/collections', su, todos('idx_d'));
    assert.deepEqual(reused.body.indexes, [idx('idx_d', 'idx_idx_d_owner_created_2', ['owner', 'created'])]);
  });
});

void describe('list totals, creates and the index advisor', { timeout: TEST_CEILING_MS }, () => {
  void it('totals follow every create and update; a taken id and a failing create rule are 400s', async () => {
    await call('POST', '/api/collections', su, todos('idx_e'));
    const alice = await user('idx-alice@example.com');
    const bob = await user('idx-bob@example.com');
    const url = `/api/collections/idx_e/records?filter=${encodeURIComponent('completed=false')}&sort=-created`;
    const total = async () => (await call<{ totalItems: number }>('GET', url, alice.token)).body.totalItems;
    assert.equal(await total(), 0);
    const made = await call('POST', '/api/collections/idx_e/records', alice.token, { title: 'a', owner: alice.id });
    assert.equal(made.status, 200);
    assert.equal(made.body.owner, alice.id);
    assert.equal(await total(), 1);
    assert.equal(await total(), 1);
    const second = { id: 'customid0000001', title: 'b', owner: alice.id };
    assert.equal((await call('POST', '/api/collections/idx_e/records', alice.token, second)).status, 200);
    assert.equal(await total(), 2);
    const taken = await call<{ data: Record<string, { code: string }> }>(
      'POST',
      '/api/collections/idx_e/records',
      alice.token,
      second,
    );
    assert.equal(taken.status, 400);
    assert.equal(taken.body.data.id?.code, 'validation_not_unique');
    const foreign = await call('POST', '/api/collections/idx_e/records', alice.token, { title: 'c', owner: bob.id });
    assert.equal(foreign.status, 400);
    assert.equal(await total(), 2);
    const done = await call('PATCH', `/api/collections/idx_e/records/${String(made.body.id)}`, su, { completed: true });
    assert.equal(done.status, 200);
    assert.equal(done.body.completed, true);
    assert.equal(await total(), 1);
  });

  void it('a slow list (NB_SLOW_LIST_MS=0: every list) leaves the index that would serve it in the logs', async () => {
    const carol = await user('idx-carol@example.com');
    await call('POST', '/api/collections', su, todos('idx_f'));
    const url = `/api/collections/idx_f/records?filter=${encodeURIComponent('completed=false')}&sort=-created`;
    assert.equal((await call('GET', url, carol.token)).status, 200);
    const want = idx('idx_f', 'idx_idx_f_owner_completed_created', ['owner', 'completed', 'created']);
    const logs = `/api/logs?filter=${encodeURIComponent('data.context = "index-advisor" && data.collection = "idx_f"')}`;
    let entry: { level: number; message: string; data: Record<string, unknown> } | undefined;
    const deadline = Date.now() + WAIT_CEILING_MS;
    while (!entry && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      entry = (await call<{ items: (typeof entry)[] }>('GET', logs, su)).body.items[0];
    }
    assert.ok(entry, 'no index advisor entry');
    assert.equal(entry.level, 4);
    assert.equal(entry.data.suggestedIndex, want);
    assert.equal(entry.data.sort, '-created');
    assert.match(entry.message, /Slow list of "idx_f"/);
    // Taking the advice: the same list asks for nothing more.
    const took = await call('PATCH', '/api/collections/idx_f', su, { indexes: [want] });
    assert.deepEqual(took.body.indexes, [want]);
  });
});
