// The `nestbase` command line: help, superuser management, flag errors, serve lifecycle.
// Every process is spawned here with its own data dir and killed in `finally`/`after`.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  freePort,
  HttpClient,
  ManagedProcess,
  matchPartial,
  num,
  OPEN_RULES,
  ProcessResult,
  runCli,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
  uniqueEmail,
  waitForBanner,
} from '@lib/testing';

import { runCliLoading } from './support/loaded-modules';

const PASSWORD = 'Cli-Passw0rd-1';
const PASSWORD2 = 'Cli-Passw0rd-2';
const TIMEOUT = { timeout: TEST_CEILING_MS };

const procs: ManagedProcess[] = [];
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nestbase-cli-'));
  dirs.push(dir);
  return dir;
}

async function serve(dir: string, extra: string[] = [], env: Record<string, string> = {}): Promise<ManagedProcess> {
  const proc = await startNestbase(dir, extra, { env });
  procs.push(proc);
  return proc;
}

async function loginStatus(baseUrl: string, email: string, password: string): Promise<number> {
  const res = await new HttpClient(baseUrl).request('POST', '/api/collections/_superusers/auth-with-password', {
    body: { identity: email, password },
  });
  return res.status;
}

function assertOk(res: ProcessResult, what: string): void {
  assert.equal(res.code, 0, `${what}: exit ${String(res.code)}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
}

function assertCliError(res: ProcessResult, what: string): void {
  assert.equal(res.code, 2, `${what}: exit ${String(res.code)}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
  const lines = res.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: stderr must be one line:\n${res.stderr}`);
  assert.match(lines[0], /^Error: \S/, `${what}: stderr`);
  assert.doesNotMatch(res.stderr + res.stdout, /^\s+at /m, `${what}: no stack trace`);
}

after(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

void describe('nestbase --help', () => {
  const cases: { args: string[]; contains: string[] }[] = [
    {
      args: ['--help'],
      contains: ['Usage: nestbase <command>', 'serve', 'superuser upsert EMAIL', 'superuser delete EMAIL'],
    },
    {
      args: ['serve', '--help'],
      contains: ['Usage: nestbase serve', '--http', '--dir', '--publicDir', '--hooksDir', 'PB_ADMIN_EMAIL'],
    },
    { args: ['superuser', '--help'], contains: ['superuser upsert EMAIL PASSWORD', 'superuser delete EMAIL', '--dir'] },
    { args: ['superuser', 'upsert', '--help'], contains: ['superuser upsert EMAIL PASSWORD'] },
    { args: ['superuser', 'delete', '--help'], contains: ['superuser delete EMAIL'] },
    { args: ['gateway', '--help'], contains: ['Usage: nestbase gateway', '--http', '--dir'] },
    { args: ['help'], contains: ['Usage: nestbase <command>', 'help [COMMAND]', '--version'] },
    { args: ['help', 'serve'], contains: ['Usage: nestbase serve'] },
    { args: ['help', 'realtime'], contains: ['Usage: nestbase realtime'] },
    { args: ['--version'], contains: ['nestbase 0.'] },
    { args: ['records', '--help'], contains: ['Usage: nestbase records', '--hooksDir', '--dev'] },
    { args: ['auth', '--help'], contains: ['Usage: nestbase auth', '--hooksDir'] },
    { args: ['files', '-h'], contains: ['Usage: nestbase files', '--dir'] },
    { args: ['realtime', '--help'], contains: ['Usage: nestbase realtime', '--records URL'] },
  ];
  for (const c of cases) {
    void it(`nestbase ${c.args.join(' ')} prints usage and exits 0, loading no Nest or service`, TIMEOUT, async () => {
      const { res, heavy } = await runCliLoading(c.args);
      assertOk(res, c.args.join(' '));
      assert.equal(res.stderr, '');
      for (const fragment of c.contains) {
        assert.ok(res.stdout.includes(fragment), `missing ${JSON.stringify(fragment)} in:\n${res.stdout}`);
      }
      assert.deepEqual(heavy, [], 'the usage is printed before the app or the service is loaded');
    });
  }
});

void describe('usage errors exit 2 with one Error: line', () => {
  // `light`: answered before the app or the service is loaded (the others need the configuration or the data dir)
  const cases: { name: string; args: (dir: string) => string[]; light?: true }[] = [
    { name: 'unknown top-level flag', args: () => ['--bogus'], light: true },
    { name: 'unknown serve flag', args: () => ['serve', '--bogus'], light: true },
    { name: 'unknown service flag', args: () => ['records', '--bogus'], light: true },
    { name: 'an argument to a service', args: () => ['auth', 'extra'], light: true },
    {
      name: 'unknown superuser flag',
      args: (d) => ['superuser', 'upsert', 'a@example.com', PASSWORD, '--dir', d, '--nope'],
    },
    { name: 'unknown command', args: () => ['frobnicate'], light: true },
    { name: 'superuser without a subcommand', args: () => ['superuser'], light: true },
    {
      name: 'serve with a --dir under a regular file',
      args: (d) => ['serve', '--http', '127.0.0.1:0', '--dir', join(d, 'file', 'data')],
    },
    {
      name: 'upsert with a --dir under a regular file',
      args: (d) => ['superuser', 'upsert', 'a@example.com', PASSWORD, '--dir', join(d, 'file', 'x')],
    },
    {
      name: 'delete with a --dir that holds no database (a typo) is refused',
      args: (d) => ['superuser', 'delete', 'a@example.com', '--dir', join(d, 'typo')],
    },
    {
      name: 'delete with a --dir under a regular file',
      args: (d) => ['superuser', 'delete', 'a@example.com', '--dir', join(d, 'file', 'x')],
    },
  ];
  for (const c of cases) {
    void it(c.name, TIMEOUT, async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'file'), 'not a directory');
      const args = c.args(dir);
      const { res, heavy } = await runCliLoading(args);
      assertCliError(res, args.join(' '));
      if (c.light) {
        assert.deepEqual(heavy, [], 'the usage error is answered before the app or the service is loaded');
      }
    });
  }

  // Node's recursive mkdir never returns for a child /proc refuses; the data dir is made one level at a time.
  void it('serve and superuser with a --dir that cannot be created (/proc/nope)', TIMEOUT, async () => {
    assertCliError(await runCli(['serve', '--http', '127.0.0.1:0', '--dir', '/proc/nope']), 'serve /proc/nope');
    assertCliError(await runCli(['superuser', 'upsert', 'a@example.com', PASSWORD, '--dir', '/proc/nope']), 'upsert');
  });
});

void describe('configuration errors exit 2 with one Error: line', () => {
  const cases: { name: string; env: Record<string, string>; message: RegExp }[] = [
    {
      name: 'PB_ADMIN_EMAIL without PB_ADMIN_PASSWORD',
      env: { PB_ADMIN_EMAIL: 'a@example.com' },
      message: /PB_ADMIN_PASSWORD/,
    },
    {
      name: 'PB_ADMIN_PASSWORD without PB_ADMIN_EMAIL',
      env: { PB_ADMIN_PASSWORD: PASSWORD },
      message: /PB_ADMIN_EMAIL/,
    },
    { name: 'NB_JOB_WORKERS naming an unknown job', env: { NB_JOB_WORKERS: 'mail.send,bogus' }, message: /bogus/ },
    { name: 'S3_ENDPOINT without S3_BUCKET', env: { S3_ENDPOINT: 'http://127.0.0.1:9' }, message: /S3_BUCKET/ },
    {
      name: 'S3_ACCESS_KEY without S3_SECRET',
      env: { S3_BUCKET: 'b', S3_ACCESS_KEY: 'k' },
      message: /S3_ACCESS_KEY is set without S3_SECRET/,
    },
  ];
  for (const c of cases) {
    void it(c.name, TIMEOUT, async () => {
      const dir = await tempDir();
      const res = await runCli(['serve', '--http', '127.0.0.1:0', '--dir', dir], { env: c.env });
      assertCliError(res, c.name);
      assert.match(res.stderr, c.message);
    });
  }

  void it('the gateway without NB_UPSTREAM_*: one line, no Nest stack trace', TIMEOUT, async () => {
    const res = await runCli(['gateway', '--http', '127.0.0.1:0']);
    assertCliError(res, 'gateway');
    assert.match(res.stderr, /NB_UPSTREAM_RECORDS/);
  });
});

void describe('an unreachable Redis is one Error: line and exit 1 after a bounded wait', () => {
  for (const args of [['serve'], ['records'], ['auth']]) {
    void it(`nestbase ${args[0]}`, TIMEOUT, async () => {
      const closed = await freePort();
      const env = { REDIS_URL: `redis://127.0.0.1:${closed}`, NB_REDIS_WAIT_MS: '600' };
      const res = await runCli([...args, '--http', '127.0.0.1:0', '--dir', await tempDir()], { env });
      assert.equal(res.code, 1, `exit ${String(res.code)}\n${res.stderr}`);
      const errors = res.stderr.split('\n').filter((line) => line.startsWith('Error:'));
      assert.deepEqual(errors, [
        `Error: cannot reach Redis at 127.0.0.1:${closed} (REDIS_URL) within 1 s: connect ECONNREFUSED 127.0.0.1:${closed}`,
      ]);
      assert.doesNotMatch(res.stderr, /^\s+at |ioredis|Unhandled/m, 'no stack trace, no client retries');
    });
  }
});

void it(
  'a realtime service whose records service never answers: progress, then one Error: line and exit 1',
  TIMEOUT,
  async () => {
    const closed = await freePort();
    const env = { NB_INTERNAL_SECRET: 'a-shared-internal-secret-0123', NB_RECORDS_WAIT_MS: '600' };
    const res = await runCli(['realtime', '--http', '127.0.0.1:0', '--records', `http://127.0.0.1:${closed}`], { env });
    assert.equal(res.code, 1, `exit ${String(res.code)}\n${res.stderr}`);
    const errors = res.stderr.split('\n').filter((line) => line.startsWith('Error:'));
    assert.deepEqual(errors, [
      `Error: cannot load collections from the records service at http://127.0.0.1:${closed} (--records/NB_RECORDS_URL) within 1 s: ECONNREFUSED`,
    ]);
    assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace');
  },
);

void describe('nestbase superuser', () => {
  // The commands run on one data dir (each on its own email), then one server on it shows what they left.
  void it(
    'upsert creates, upsert again changes the password, delete removes (an unknown email fails)',
    TIMEOUT,
    async () => {
      const dir = await tempDir();
      const created = uniqueEmail('cli');
      const changed = uniqueEmail('cli');
      const gone = uniqueEmail('gone');
      const kept = uniqueEmail('kept');
      const res = await runCli(['superuser', 'upsert', created, PASSWORD, '--dir', dir]);
      assertOk(res, 'upsert');
      assert.ok(res.stdout.includes(created), res.stdout);
      assertOk(await runCli(['superuser', 'upsert', changed, PASSWORD, '--dir', dir]), 'first upsert');
      assertOk(await runCli(['superuser', 'upsert', changed, PASSWORD2, '--dir', dir]), 'second upsert');
      assertOk(await runCli(['superuser', 'upsert', gone, PASSWORD, '--dir', dir]), 'upsert gone');
      assertOk(await runCli(['superuser', 'upsert', kept, PASSWORD, '--dir', dir]), 'upsert kept');
      assertOk(await runCli(['superuser', 'delete', gone, '--dir', dir]), 'delete');
      const missing = await runCli(['superuser', 'delete', uniqueEmail('nobody'), '--dir', dir]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /^Error: /);
      const proc = await serve(dir);
      try {
        const statuses: number[] = [];
        for (const [email, password] of [
          [created, PASSWORD],
          [created, 'Wrong-Passw0rd'],
          [changed, PASSWORD],
          [changed, PASSWORD2],
          [gone, PASSWORD],
          [kept, PASSWORD],
        ]) {
          statuses.push(await loginStatus(proc.baseUrl, email, password));
        }
        // created: its password only; changed: the new password only; gone: none; kept: its password
        assert.deepEqual(statuses, [200, 400, 400, 200, 400, 200]);
      } finally {
        await proc.stop();
      }
    },
  );
});

void describe('nestbase serve', () => {
  void it('prints the API address and exits 0 on SIGTERM and SIGINT', TIMEOUT, async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const proc = await serve(await tempDir());
      try {
        const started = await waitForBanner(proc, /^nestbase started at (\S+)$/m);
        assert.equal(started[1], proc.baseUrl, proc.stdout());
        await waitForBanner(proc, new RegExp(`^Dashboard: ${proc.baseUrl}/_/$`, 'm'));
        const res = await proc.stop(signal);
        assert.equal(res.code, 0, `${signal}: exit ${String(res.code)} (signal ${String(res.signal)})\n${res.stderr}`);
        assert.doesNotMatch(res.stderr, /^\s+at /m);
        await assert.rejects(new HttpClient(proc.baseUrl).request('GET', '/api/health'));
      } finally {
        proc.kill();
      }
    }
  });

  // One server for the two checks that only read from it: a superuser from PB_ADMIN_*, the files of --publicDir.
  void describe('with PB_ADMIN_* and --publicDir', () => {
    const email = uniqueEmail('env');
    let proc: ManagedProcess;
    before(async () => {
      const pub = await tempDir();
      await writeFile(join(pub, 'index.html'), '<!doctype html><h1>nestbase public index</h1>');
      await writeFile(join(pub, 'x.txt'), 'plain text file\n');
      proc = await serve(await tempDir(), ['--publicDir', pub], { PB_ADMIN_EMAIL: email, PB_ADMIN_PASSWORD: PASSWORD });
    });
    after(() => proc?.stop());

    void it('PB_ADMIN_EMAIL/PB_ADMIN_PASSWORD create a superuser', TIMEOUT, async () => {
      assert.equal(await loginStatus(proc.baseUrl, email, PASSWORD), 200);
    });

    void it('--publicDir serves index.html at / and other files by path', TIMEOUT, async () => {
      const http = new HttpClient(proc.baseUrl);
      const index = await http.request('GET', '/');
      assert.equal(index.status, 200);
      assert.ok(index.text.includes('nestbase public index'), index.text.slice(0, 300));
      assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
      const txt = await http.request('GET', '/x.txt');
      assert.equal(txt.status, 200);
      assert.equal(txt.text, 'plain text file\n');
      assert.match(txt.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal((await http.request('GET', '/api/health')).status, 200);
    });
  });

  void it('a restart on the same dir keeps collections, records and superusers', TIMEOUT, async () => {
    const dir = await tempDir();
    const email = uniqueEmail('env');
    const first = await serve(dir, [], { PB_ADMIN_EMAIL: email, PB_ADMIN_PASSWORD: PASSWORD });
    let collectionId: string | undefined;
    let recordId: string | undefined;
    try {
      const http = new HttpClient(first.baseUrl);
      const token = await tokenFor(http, '_superusers', email, PASSWORD);
      const col = await http.request('POST', '/api/collections', {
        token,
        body: { name: 'keep', ...OPEN_RULES, fields: [text('title'), num('n')] },
      });
      assert.equal(col.status, 200, col.text);
      collectionId = col.json<{ id: string }>().id;
      const rec = await http.request('POST', '/api/collections/keep/records', {
        token,
        body: { title: 'survivor', n: 42 },
      });
      assert.equal(rec.status, 200, rec.text);
      recordId = rec.json<{ id: string }>().id;
      assert.equal((await first.stop()).code, 0);
    } finally {
      first.kill();
    }

    const second = await serve(dir);
    try {
      const http = new HttpClient(second.baseUrl);
      const token = await tokenFor(http, '_superusers', email, PASSWORD);
      const col = await http.request('GET', '/api/collections/keep', { token });
      assert.equal(col.status, 200, col.text);
      assert.equal(col.json<{ id: string }>().id, collectionId);
      const rec = await http.request('GET', `/api/collections/keep/records/${String(recordId)}`, { token });
      assert.equal(rec.status, 200, rec.text);
      assert.deepEqual(matchPartial(rec.body, { id: String(recordId), title: 'survivor', n: 42 }), []);
      const list = await http.request('GET', '/api/collections/keep/records');
      assert.equal(list.json<{ totalItems: number }>().totalItems, 1);
    } finally {
      await second.stop();
    }
  });
});
