// The test runner's shared standalone servers (libs/testing's shared-servers.ts), with real servers and test
// files: the files run on the shared server and count a share of its CPU; when the server dies, the file running
// on it is stopped at once (not left to its ceiling) and fails with the server's log, the run records the crash,
// and the next file runs on a fresh server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { FileResult, runTestFiles, SharedServers, waitFor } from '@lib/testing';

const dir = mkdtempSync(join(tmpdir(), 'shared-servers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A test file that asks the shared server for its health; with `marker`, then writes it and waits five minutes. */
function testFile(name: string, marker?: string): string {
  const path = join(dir, `${name}.e2e-spec.js`);
  const wait = marker
    ? `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'); await new Promise((r) => setTimeout(r, 300000));`
    : '';
  writeFileSync(
    path,
    `const { test } = require('node:test');
test('${name} reaches its server', async () => {
  const res = await fetch(process.env.NB_TEST_BASE_URL + '/api/health');
  if (res.status !== 200) throw new Error('status ' + res.status);
  console.log('target ' + process.env.NB_TEST_BASE_URL);
  ${wait}
});
`,
  );
  return path;
}

const target = (r: FileResult) => /target (http:\S+)/.exec(r.output)?.[1];

void describe('shared servers of the test runner', { timeout: 180_000 }, () => {
  void it('fails the file running on a server that dies, with its log, and runs the next on a fresh one', async () => {
    const marker = join(dir, 'reached');
    const [first, doomed, next] = [testFile('first'), testFile('doomed', marker), testFile('next')];
    const pool = await SharedServers.start(1, [first, doomed, next]);
    try {
      const [pid] = pool.pids;
      const done: FileResult[] = [];
      const killer = (async () => {
        await waitFor(() => existsSync(marker) && done.length === 1, 'the doomed file reaching the server');
        process.kill(pid, 'SIGKILL');
      })();
      const started = Date.now();
      const results = await runTestFiles([first, doomed], {
        concurrency: 2,
        ceilingMs: 120_000,
        scheduler: pool.scheduler,
        onDone: (r) => done.push(r),
      });
      await killer;
      const [ok, killed] = [first, doomed].map((f) => results.find((r) => r.file === f)!);
      assert.ok(ok.ok, ok.output);
      assert.equal(ok.on, 'shared server 1');
      assert.ok(ok.cpuMs === undefined || ok.cpuMs > 0);
      assert.equal(killed.ok, false);
      assert.equal(killed.hung, false, 'stopped as the server died, not at its ceiling');
      assert.ok(Date.now() - started < 60_000, `ended in ${Date.now() - started} ms`);
      assert.match(killed.failures.map((f) => f.reason).join('\n'), /shared server 1 died: nestbase exited/);
      assert.match(killed.output, /shared server 1 died while this file ran on it; its log:\n/);
      assert.equal(pool.crashes.length, 1, pool.crashes.join('\n'));
      assert.match(pool.crashes[0], /shared server 1 died after 1 files, while doomed\.e2e-spec\.js ran on it/);

      const [again] = await runTestFiles([next], { concurrency: 1, ceilingMs: 120_000, scheduler: pool.scheduler });
      assert.ok(again.ok, again.output);
      assert.equal(again.on, 'shared server 1');
      assert.notEqual(target(again), target(ok), 'a fresh server on another port');
      assert.notEqual(pool.pids[0], pid);
    } finally {
      await pool.stop();
    }
    assert.ok(pool.overheadCpuMs >= 0);
  });
});
