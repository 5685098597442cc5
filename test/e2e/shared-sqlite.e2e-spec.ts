// Several processes on one SQLite file, as the services of the distributed set share a volume: records, auth
// and files started at the same moment on a fresh data directory all come up (migrations, system collections
// and the PB_ADMIN_* superuser made once), round after round; then records and auth write at the same time
// (records through one, users through the other) with no 5xx and every acknowledged write stored, and with no
// busy timeout at all a write that can't get the lock is a 503 in PocketBase's envelope, never a 500. Start-up
// waits out a lock another process holds whatever DB_BUSY_TIMEOUT_MS says; requests wait only that long.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import Sqlite from 'better-sqlite3';

import {
  ApiResponse,
  HttpClient,
  makeCollection,
  makeUserInput,
  ManagedProcess,
  startSplitService,
  TEST_CEILING_MS,
  tokenFor,
  waitFor,
} from '@lib/testing';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { email: 'shared-su@example.com', password: 'Shared-Superuser-Passw0rd' };
const ROUNDS = 3;

const dirs: string[] = [];
const running: ManagedProcess[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nestbase-shared-'));
  dirs.push(dir);
  return dir;
}

/** The sleep syscalls (nanosleep, clock_nanosleep) by architecture: what SQLite's busy handler waits in. */
const SLEEP_SYSCALLS: Record<string, number[]> = { x64: [35, 230], arm64: [101, 115] };

/**
 * Whether a process whose command line names `dir` has a thread asleep in a sleep syscall (Linux /proc): SQLite's
 * busy handler waiting for a lock (Node's own threads wait in epoll or futex, and retries between busy answers
 * are timers). Without /proc or a known architecture: true after a second, the wait this replaces.
 */
async function waitsInBusyHandler(dir: string, since: number): Promise<boolean> {
  const sleeps = SLEEP_SYSCALLS[process.arch];
  if (!sleeps || !existsSync('/proc/self/syscall')) {
    return Date.now() - since > 1000;
  }
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return ''; // gone meanwhile
    }
  };
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (!read(`/proc/${pid}/cmdline`).split('\0').includes(dir)) {
      continue;
    }
    const tasks = readdirSync(`/proc/${pid}/task`, { withFileTypes: false }) as string[];
    if (tasks.some((task) => sleeps.includes(Number(read(`/proc/${pid}/task/${task}/syscall`).split(' ')[0])))) {
      return true;
    }
  }
  return false;
}

/** The services started all at once on `dir`, each with PB_ADMIN_* (healthy on return). */
async function startTogether<const S extends readonly ('records' | 'auth' | 'files')[]>(
  dir: string,
  apps: S,
  env: Record<string, string> = {},
): Promise<ManagedProcess[]> {
  const fullEnv = { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password, NB_BCRYPT_COST: '4', ...env };
  const started = await Promise.allSettled(apps.map((app) => startSplitService(app, dir, [], { env: fullEnv })));
  const procs = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  running.push(...procs);
  const failed = started.flatMap((s, i) => (s.status === 'rejected' ? [`${apps[i]}: ${String(s.reason)}`] : []));
  assert.deepEqual(failed, [], 'every service came up');
  return procs;
}

/** Runs `task` over `items`, `concurrency` at a time. */
async function pool<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The `notes` collection (open rules), made through records by the superuser logged in through auth. */
async function createNotes(records: ManagedProcess, auth: ManagedProcess): Promise<string> {
  const token = await tokenFor(new HttpClient(auth.baseUrl), '_superusers', SU.email, SU.password);
  const res = await new HttpClient(records.baseUrl).request('POST', '/api/collections', {
    token,
    body: makeCollection({ name: 'notes' }),
  });
  assert.equal(res.status, 200, res.text);
  return token;
}

/** Notes created through the records service and users registered through the auth service, at once. */
async function writeBurst(records: ManagedProcess, auth: ManagedProcess, notes: number, users: number) {
  const [noteRes, userRes] = await Promise.all([
    pool(
      Array.from({ length: notes }, (_, i) => i),
      12,
      (i) =>
        new HttpClient(records.baseUrl).request('POST', '/api/collections/notes/records', {
          body: { title: `note ${i}` },
        }),
    ),
    pool(
      Array.from({ length: users }, () => makeUserInput()),
      6,
      (input) => new HttpClient(auth.baseUrl).request('POST', '/api/users', { body: input }),
    ),
  ]);
  return { noteRes, userRes };
}

const ids = (responses: ApiResponse[]): string[] =>
  responses.filter((r) => r.status === 200).map((r) => r.json<{ id: string }>().id);

async function storedIds(client: HttpClient, token: string, collection: string): Promise<Set<string>> {
  const res = await client.request('GET', `/api/collections/${collection}/records?perPage=1000&fields=id`, { token });
  assert.equal(res.status, 200, res.text);
  return new Set(res.json<{ items: { id: string }[] }>().items.map((item) => item.id));
}

void describe('one SQLite file shared by several processes', () => {
  after(async () => {
    await Promise.allSettled(running.map((p) => p.stop()));
    await Promise.allSettled(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  void it(
    `records, auth and files started together on a fresh directory all come up (${ROUNDS} rounds)`,
    TIMEOUT,
    async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const procs = await startTogether(await freshDir(), ['records', 'auth', 'files']);
        for (const proc of procs) {
          const ready = await new HttpClient(proc.baseUrl).request('GET', '/readyz');
          assert.equal(ready.status, 200, `round ${round}: ${ready.text}`);
        }
        const [records, auth] = procs;
        const token = await tokenFor(new HttpClient(auth.baseUrl), '_superusers', SU.email, SU.password);
        const client = new HttpClient(records.baseUrl);
        const list = await client.request('GET', '/api/collections?perPage=500', { token });
        assert.equal(list.status, 200, list.text);
        const names = list.json<{ items: { name: string }[] }>().items.map((c) => c.name);
        assert.deepEqual([...new Set(names)].sort(), [...names].sort(), `round ${round}: no collection made twice`);
        for (const name of ['_superusers', 'users', '_externalAuths', '_mfas', '_otps', '_authOrigins']) {
          assert.ok(names.includes(name), `round ${round}: ${name} exists`);
        }
        assert.equal((await storedIds(client, token, '_superusers')).size, 1, `round ${round}: one superuser`);
        await Promise.all(procs.map((p) => p.stop()));
      }
    },
  );

  void it('records and auth writing at the same time: no 5xx, every acknowledged write stored', TIMEOUT, async () => {
    const [records, auth] = await startTogether(await freshDir(), ['records', 'auth']);
    const token = await createNotes(records, auth);
    const { noteRes, userRes } = await writeBurst(records, auth, 150, 40);
    for (const res of [...noteRes, ...userRes]) {
      assert.equal(res.status, 200, res.text);
    }
    const client = new HttpClient(records.baseUrl);
    assert.deepEqual(await storedIds(client, token, 'notes'), new Set(ids(noteRes)));
    assert.deepEqual(await storedIds(client, token, 'users'), new Set(ids(userRes)));
    await Promise.all([records.stop(), auth.stop()]);
  });

  void it(
    'with no busy timeout, a write that cannot get the lock is a 503 envelope, never a 500',
    TIMEOUT,
    async () => {
      const [records, auth] = await startTogether(await freshDir(), ['records', 'auth'], { DB_BUSY_TIMEOUT_MS: '0' });
      const token = await createNotes(records, auth);
      const { noteRes, userRes } = await writeBurst(records, auth, 150, 40);
      for (const res of [...noteRes, ...userRes]) {
        if (res.status !== 200) {
          assert.equal(res.status, 503, res.text);
          assert.deepEqual(res.body, { status: 503, message: 'The database is busy, please try again.', data: {} });
        }
      }
      const client = new HttpClient(records.baseUrl);
      const notes = await storedIds(client, token, 'notes');
      const users = await storedIds(client, token, 'users');
      assert.ok(
        ids(noteRes).every((id) => notes.has(id)),
        'every acknowledged note stored',
      );
      assert.ok(
        ids(userRes).every((id) => users.has(id)),
        'every acknowledged user stored',
      );
      assert.equal(notes.size, ids(noteRes).length, 'nothing stored that was answered 503');
      await Promise.all([records.stop(), auth.stop()]);
    },
  );

  void it(
    'start-up waits out a lock another process holds; then a request waits only DB_BUSY_TIMEOUT_MS',
    TIMEOUT,
    async () => {
      const dir = await freshDir();
      const holder = new Sqlite(join(dir, 'data.db'));
      try {
        holder.pragma('journal_mode = WAL');
        // Held until the starting service waits for it in SQLite's busy handler: with DB_BUSY_TIMEOUT_MS 0 a
        // request never does (it answers busy at once, then retries on timers), so that wait is the start-up's.
        holder.exec('BEGIN IMMEDIATE');
        const since = Date.now();
        const starting = startTogether(dir, ['records'], { DB_BUSY_TIMEOUT_MS: '0' });
        await waitFor(() => waitsInBusyHandler(dir, since), 'the starting service to wait for the lock');
        holder.exec('COMMIT');
        const [records] = await starting;
        // The lock taken again: with no busy timeout the request answers 503 while it is still held (with the
        // start-up timeout still in force it would wait for the lock, released only after the ceiling below).
        holder.exec('BEGIN IMMEDIATE');
        const request = new HttpClient(records.baseUrl).request('POST', '/api/collections/users/records', {
          body: makeUserInput(),
        });
        const res = await Promise.race([request, sleep(20_000).then(() => null)]);
        holder.exec('COMMIT');
        assert.ok(res, 'the request waited for the lock: the start-up busy timeout is still in force');
        assert.equal(res.status, 503, res.text);
        assert.deepEqual(res.body, { status: 503, message: 'The database is busy, please try again.', data: {} });
        await records.stop();
      } finally {
        if (holder.inTransaction) {
          holder.exec('ROLLBACK');
        }
        holder.close();
      }
    },
  );
});
