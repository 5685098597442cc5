import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { FileLease, FileResult } from './file-runner';
import { SuiteScheduler } from './suite-scheduler';

const dir = mkdtempSync(join(tmpdir(), 'suite-scheduler-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A compiled suite file whose text gives it `role` (suite-files.ts reads the role from the text). */
function file(name: string, role: 'shared' | 'settings' | 'alone'): string {
  const marks = { shared: '', settings: 'smtp_catcher', alone: 'deleteMissing' };
  const path = join(dir, `${name}.e2e-spec.js`);
  writeFileSync(path, `(0, testing_1.runScenarios)('x', []); // ${marks[role]}\n`);
  return path;
}

const result = (path: string): FileResult => ({
  file: path,
  code: 0,
  signal: null,
  hung: false,
  startedAt: 0,
  durationMs: 0,
  output: '',
  ok: true,
  pass: 1,
  fail: 0,
  complete: true,
  failures: [],
  unfinished: [],
  topLevel: [],
});

const target = (port: number, clockFile?: string) => ({
  baseUrl: `http://127.0.0.1:${port}`,
  superuser: { email: 'su@example.com', password: 'pw' },
  clockFile,
});

const must = (lease: FileLease | null | undefined): FileLease => {
  assert.ok(lease, 'admitted');
  return lease;
};

void describe('SuiteScheduler', () => {
  void it('spreads shared files over the least busy lane, with their URL and NB_TEST_PARALLEL', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => file(n, 'shared'));
    const scheduler = new SuiteScheduler([a, b, c]);
    scheduler.addLane('one', target(1));
    scheduler.addLane('two', target(2));
    const leases = [a, b, c].map((f) => must(scheduler.admit(f)));
    const urls = leases.map((lease) => lease.env.NB_TEST_BASE_URL);
    assert.deepEqual(urls, ['http://127.0.0.1:1', 'http://127.0.0.1:2', 'http://127.0.0.1:1']);
    assert.ok(leases.every((lease) => lease.env.NB_TEST_PARALLEL === '1'));
  });

  void it('runs files it was not given on their own, and all of them when no lane is left', () => {
    const shared = file('left', 'shared');
    const scheduler = new SuiteScheduler([shared]);
    assert.equal(scheduler.admit(shared), null, 'no lane: the file starts its own server');
    scheduler.addLane('one', target(1));
    assert.equal(scheduler.admit(join(dir, 'other.e2e-spec.js')), null);
    scheduler.lanes[0].down = true;
    assert.equal(scheduler.admit(shared), undefined, 'a lane being replaced: the file waits');
  });

  void it('runs at most one settings file per lane, with no NB_TEST_PARALLEL', async () => {
    const [s1, s2, shared] = [file('s1', 'settings'), file('s2', 'settings'), file('sh', 'shared')];
    const scheduler = new SuiteScheduler([s1, s2, shared]);
    scheduler.addLane('one', target(1));
    const first = must(scheduler.admit(s1));
    assert.equal(first.env.NB_TEST_PARALLEL, undefined);
    assert.equal(scheduler.admit(s2), undefined, 'a second settings file waits');
    must(scheduler.admit(shared));
    await first.release(result(s1));
    must(scheduler.admit(s2));
  });

  void it('runs a file alone: its lane drains first and takes nothing beside it; the clock is reset after', async () => {
    const clockFile = join(dir, 'clock');
    const [shared, alone, later] = [file('x', 'shared'), file('alone', 'alone'), file('y', 'shared')];
    const scheduler = new SuiteScheduler([shared, alone, later]);
    scheduler.addLane('one', target(1, clockFile));
    const running = must(scheduler.admit(shared));
    assert.equal(scheduler.admit(alone), undefined, 'waits for the lane to drain');
    assert.equal(scheduler.admit(later), undefined, 'the reserved lane takes no other file');
    await running.release(result(shared));
    const lease = must(scheduler.admit(alone));
    assert.equal(lease.env.NB_TEST_CLOCK_FILE, clockFile);
    assert.equal(scheduler.admit(later), undefined, 'nothing beside a file that runs alone');
    writeFileSync(clockFile, '86400000'); // the file moved the clock a day on
    await lease.release(result(alone));
    assert.equal(readFileSync(clockFile, 'utf8'), '0');
    must(scheduler.admit(later));
  });

  void it('sends a file that runs alone to a free lane while the other stays busy', async () => {
    const [shared, alone, more] = [file('p', 'shared'), file('alone2', 'alone'), file('q', 'shared')];
    const scheduler = new SuiteScheduler([shared, alone, more]);
    scheduler.addLane('one', target(1));
    scheduler.addLane('two', target(2));
    must(scheduler.admit(shared));
    const lease = must(scheduler.admit(alone));
    assert.equal(lease.env.NB_TEST_BASE_URL, 'http://127.0.0.1:2');
    assert.equal(must(scheduler.admit(more)).env.NB_TEST_BASE_URL, 'http://127.0.0.1:1', 'no lane left reserved');
    await lease.release(result(alone));
  });
});
