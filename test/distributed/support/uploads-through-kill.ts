// The split records service SIGKILLed (as a process) while two users upload files of 100 KB to 1 MB through the
// gateway (multipart creates into a collection whose rules and protected file field let only the owner see a
// record and its file), in both compose sets:
// - SQLite (docker-compose.yml, one records process): while it is down an upload gets a 502/503; it is started
//   again and takes uploads;
// - PostgreSQL (docker-compose.postgres.yml, two records replicas): one replica is killed, uploads go on through
//   the other without a failure, then the killed one is started again.
// Then, through the gateway:
// - every acknowledged upload's record is there and its file downloads with the bytes sent;
// - every failed upload got a 502/503 from the gateway in PocketBase's error envelope, never a dropped connection;
// - no half-record: every record of the collection (acknowledged or not) has its file, with the bytes sent for it;
// - nothing the rules hide is served: the other user neither lists, views nor downloads (with a file token or
//   without) another's record or file.
// SQLite's `PRAGMA integrity_check` passes on the shared database afterwards.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

import Sqlite from 'better-sqlite3';

import {
  ApiResponse,
  file,
  HttpClient,
  makeCollection,
  OWNER_RULES,
  relation,
  text,
  tokenFor,
  uniqueEmail,
  uniqueSuffix,
} from '@lib/testing';

import { burstThenKill } from '../../e2e/support/write-burst';
import { caller, EVENT_CEILING_MS } from './restart-checks';
import { ServiceSet, SUPERUSER } from './service-set';

const PASSWORD = 'Kill-Records-Passw0rd';
const GATEWAY_DOWN = new Set(['502', '503']);
/** Upload sizes, in turn: 100 KB to 1 MB. */
const SIZES = [100_000, 400_000, 700_000, 1_000_000];
/** Uploads sent after the kill, while the killed process is down. */
const WHILE_DOWN = 6;

interface User {
  id: string;
  token: string;
}

interface Sent {
  owner: number;
  sha: string;
  size: number;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes of one upload (every upload different, not compressible into a pattern the server keeps). */
function uploadBytes(tag: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let block = createHash('sha256').update(tag).digest();
  for (let at = 0; at < size; at += block.length) {
    out.set(block.subarray(0, Math.min(block.length, size - at)), at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** Why `res` (an error status) is not PocketBase's error envelope with that status, or ''. */
function notEnvelope(res: ApiResponse): string {
  const body = res.body as { status?: unknown; message?: unknown; data?: unknown } | undefined;
  const ok = body?.status === res.status && typeof body.message === 'string' && typeof body.data === 'object';
  return ok ? '' : `${res.status} ${res.text.slice(0, 200)}`;
}

/**
 * The uploads, the kill of records replica 0, what happens while it is down (`replicated`: another replica takes
 * every upload; otherwise an upload is refused 502/503), its restart, and the checks after it.
 */
export async function uploadsThroughKill(t: TestContext, set: ServiceSet, replicated: boolean): Promise<void> {
  const http = new HttpClient(set.gatewayUrl);
  const ok = caller(http);
  const su = { token: await tokenFor(http, '_superusers', SUPERUSER.email, SUPERUSER.password) };
  const users = await Promise.all(
    [0, 1].map(async (): Promise<User> => {
      const email = uniqueEmail('kill-up');
      const body = { email, password: PASSWORD, passwordConfirm: PASSWORD };
      const { id } = await ok<{ id: string }>('POST', '/api/collections/users/records', { body });
      return { id, token: await tokenFor(http, 'users', email, PASSWORD) };
    }),
  );
  const name = `kill_uploads_${uniqueSuffix()}`;
  const made = await ok<{ id: string }>('POST', '/api/collections', {
    ...su,
    body: makeCollection({
      name,
      ...OWNER_RULES,
      fields: [
        text('tag', { required: true }),
        relation('owner', '_pb_users_auth_', { maxSelect: 1, required: true }),
        file('doc', { maxSelect: 1, maxSize: 2_000_000, protected: true, required: true }),
      ],
    }),
  });
  const sent = new Map<string, Sent>();
  const badEnvelopes: string[] = [];
  const upload = async (tag: string, owner: number, size: number) => {
    const bytes = uploadBytes(`${name}/${tag}`, size);
    sent.set(tag, { owner, sha: sha256(bytes), size: bytes.length });
    const form = new FormData();
    form.append('tag', tag);
    form.append('owner', users[owner].id);
    form.append('doc', new Blob([bytes], { type: 'application/octet-stream' }), `upload-${tag}.bin`);
    const res = await http.request('POST', `/api/collections/${name}/records`, {
      token: users[owner].token,
      body: form,
    });
    const why = res.status === 200 ? '' : notEnvelope(res);
    if (why) {
      badEnvelopes.push(why);
    }
    return res;
  };
  const { acknowledged, failures } = await burstThenKill<{ id: string; tag: string }>({
    writers: 4,
    acknowledgedBeforeKill: 12,
    ceilingMs: EVENT_CEILING_MS,
    endAtKill: replicated,
    kill: () => set.kill('records', 0),
    write: async (w, i) => {
      const tag = `${w}-${i}`;
      const res = await upload(tag, w % 2, SIZES[(w + i) % SIZES.length]);
      return res.status === 200
        ? { ok: true, value: { id: res.json<{ id: string }>().id, tag } }
        : { ok: false, status: res.status };
    },
  });
  t.diagnostic(`${acknowledged.length} uploads acknowledged; failures ${JSON.stringify([...failures])}`);
  // While the killed process is down: the other replica takes every upload, or each is refused.
  for (let i = 0; i < WHILE_DOWN; i++) {
    const tag = `down-${i}`;
    const res = await upload(tag, i % 2, SIZES[i % SIZES.length]);
    if (replicated) {
      assert.equal(res.status, 200, `an upload while replica 0 is down: ${res.text.slice(0, 300)}`);
      acknowledged.push({ id: res.json<{ id: string }>().id, tag });
    } else {
      assert.ok(GATEWAY_DOWN.has(String(res.status)), `an upload while records is down: ${res.status}`);
    }
  }
  await set.restart('records', 0);
  const afterRestart = await upload('after-restart', 0, SIZES[0]);
  assert.equal(afterRestart.status, 200, `an upload after the restart: ${afterRestart.text.slice(0, 300)}`);
  acknowledged.push({ id: afterRestart.json<{ id: string }>().id, tag: 'after-restart' });
  // Without a replica every writer ends on a failure; with one, only an upload the killed replica had fails.
  const kinds = [...failures.keys()];
  assert.ok(
    (replicated || kinds.length > 0) && kinds.every((k) => GATEWAY_DOWN.has(k)),
    `failures: ${JSON.stringify([...failures])}`,
  );
  assert.deepEqual(badEnvelopes, [], 'failed uploads answered outside the error envelope');

  // Every acknowledged upload: its owner views it and downloads its bytes.
  const fileToken = async (token: string) => (await ok<{ token: string }>('POST', '/api/files/token', { token })).token;
  const download = async (path: string, token?: string) => {
    const url = `${set.gatewayUrl}${path}${token ? `?token=${token}` : ''}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(EVENT_CEILING_MS) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, sha: res.status === 200 ? sha256(bytes) : '', size: bytes.length };
  };
  const tokens = await Promise.all(users.map((u) => fileToken(u.token)));
  for (const { id, tag } of acknowledged) {
    const want = sent.get(tag)!;
    const rec = await ok<{ doc: string; tag: string }>('GET', `/api/collections/${name}/records/${id}`, {
      token: users[want.owner].token,
    });
    assert.equal(rec.tag, tag);
    const got = await download(`/api/files/${made.id}/${id}/${rec.doc}`, tokens[want.owner]);
    assert.equal(got.status, 200, `acknowledged upload ${tag} (${id}): ${got.status}`);
    assert.deepEqual({ sha: got.sha, size: got.size }, { sha: want.sha, size: want.size }, `upload ${tag}`);
  }

  // Every stored record (acknowledged or cut by the kill after its commit) is whole.
  const all = await ok<{ items: { id: string; tag: string; doc: string; owner: string }[]; totalItems: number }>(
    'GET',
    `/api/collections/${name}/records?perPage=500&skipTotal=0`,
    su,
  );
  assert.ok(all.totalItems >= acknowledged.length && all.totalItems <= sent.size, `${all.totalItems} records`);
  const suFileToken = await fileToken(su.token);
  for (const rec of all.items) {
    const want = sent.get(rec.tag);
    assert.ok(want && rec.owner === users[want.owner].id, `record ${rec.id} is not an upload that was sent`);
    assert.ok(rec.doc, `record ${rec.id} (${rec.tag}) has no file`);
    const got = await download(`/api/files/${made.id}/${rec.id}/${rec.doc}`, suFileToken);
    assert.equal(got.status, 200, `record ${rec.id} (${rec.tag}) points at a missing file`);
    assert.deepEqual({ sha: got.sha, size: got.size }, { sha: want.sha, size: want.size }, `record ${rec.tag}`);
  }

  // Files of uploads cut by the kill after their file was stored and before their record was committed: no record
  // points at them, and their writes' notes are in the upload journal. A sweep (grace 0: no write is under way now)
  // removes them, keeps every file a record references (checked above and again below) and empties the journal.
  const stored = new Set(all.items.map((r) => r.id));
  const orphans = () => set.s3Keys(`${made.id}/`).filter((key) => !stored.has(key.split('/')[1]));
  const before = orphans().length;
  const swept = await set.sweepUploads(0);
  t.diagnostic(
    `${all.totalItems} records stored of ${sent.size} uploads sent; ${before} orphan files in S3; sweep ${JSON.stringify(swept)}`,
  );
  assert.deepEqual(orphans(), [], 'orphan files after the sweep');
  assert.equal(swept.left, 0, 'notes left by the sweep');
  assert.deepEqual(
    set.s3Keys('.upload-journal/').filter((key) => !key.endsWith('/.keep')),
    [],
    'notes in the upload journal after the sweep',
  );
  for (const rec of all.items) {
    const got = await download(`/api/files/${made.id}/${rec.id}/${rec.doc}`, suFileToken);
    assert.equal(got.status, 200, `record ${rec.id} (${rec.tag}) lost its file to the sweep`);
  }

  // The rules still hide each user's uploads from the other.
  for (const [me, other] of [
    [0, 1],
    [1, 0],
  ]) {
    const mine = await ok<{ items: { owner: string }[] }>('GET', `/api/collections/${name}/records?perPage=500`, {
      token: users[me].token,
    });
    assert.ok(mine.items.length > 0 && mine.items.every((r) => r.owner === users[me].id), `user ${me} lists`);
    for (const rec of all.items.filter((r) => r.owner === users[other].id).slice(0, 4)) {
      const view = await http.request('GET', `/api/collections/${name}/records/${rec.id}`, {
        token: users[me].token,
      });
      assert.equal(view.status, 404, `user ${me} views another's record: ${view.status}`);
      const path = `/api/files/${made.id}/${rec.id}/${rec.doc}`;
      assert.equal((await download(path, tokens[me])).status, 404, `user ${me} downloads another's file`);
      assert.equal((await download(path)).status, 404, 'a protected file without a token');
    }
  }
}

/** SQLite's `PRAGMA integrity_check` on the set's shared database. */
export function assertSqliteIntact(set: ServiceSet): void {
  const db = new Sqlite(join(set.dataDir, 'data.db'), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
}
