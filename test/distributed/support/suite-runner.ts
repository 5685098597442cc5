// Runs the HTTP scenario suite (and the SDK suites) of test/e2e against a running deployment: every compiled e2e
// file that targets `NB_TEST_BASE_URL` when it is set (libs/testing's suite-files.ts), each in its own process,
// several at a time where they can't see each other (its suite-scheduler.ts: the role rules the test runner's
// shared standalone servers follow too, see shared-servers.ts).
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { TestContext } from 'node:test';

import { externalSuiteFiles, FileResult, runTestFiles, SuiteRole, SuiteScheduler, TestClock } from '@lib/testing';

import type { ServiceSet } from './service-set';

/** A suite file takes seconds to a minute: this only catches a hang. */
const SUITE_FILE_CEILING_MS = 10 * 60_000;

export interface SuiteResult {
  pass: number;
  fail: number;
  files: FileResult[];
  /** The failing tests by file, then the output of each failing file. */
  report: string;
}

// The files that run alone first, before the others fill the deployment with collections.
const ORDER: Record<SuiteRole, number> = { alone: 0, settings: 1, shared: 2 };

/**
 * Runs `files` against `baseUrl`: the files that must run alone first, one by one, then the rest `concurrency`
 * at a time with at most one settings file among them. `ceilingMs` per file only catches a hang (the report
 * names what was still running).
 */
export async function runSuite(
  files: string[],
  baseUrl: string,
  superuser: { email: string; password: string },
  options: { concurrency: number; ceilingMs: number; clockFile?: string; database?: 'postgres' },
): Promise<SuiteResult> {
  const scheduler = new SuiteScheduler(files);
  scheduler.addLane('the deployment', { baseUrl, superuser, clockFile: options.clockFile, database: options.database });
  if (options.clockFile) {
    await new TestClock(options.clockFile).reset(); // the first file starts on real time
  }
  const rank = (file: string) => ORDER[scheduler.role(file) ?? 'shared'];
  const queue = [...files].sort((a, b) => rank(a) - rank(b));
  const results = await runTestFiles(queue, {
    concurrency: options.concurrency,
    ceilingMs: options.ceilingMs,
    scheduler,
  });
  const failed = results.filter((r) => !r.ok);
  const report = [
    ...failed.flatMap((r) => [basename(r.file), ...r.failures.map((f) => `  ✗ ${f.name}: ${f.reason}`)]),
    ...failed.map((r) => `--- ${basename(r.file)}\n${r.output.slice(-6000)}`),
  ].join('\n');
  return {
    pass: results.reduce((sum, r) => sum + r.pass, 0),
    fail: results.reduce((sum, r) => sum + r.fail, 0) + failed.filter((r) => r.fail === 0).length,
    files: results,
    report,
  };
}

/**
 * Runs the suite files `only` picks (every one without it) through `set`'s gateway as its superuser, two at a
 * time, prints each file's time (longest first) and fails with the failing tests and the set's logs.
 */
export async function passSuite(
  ctx: TestContext,
  set: ServiceSet,
  superuser: { email: string; password: string },
  only?: RegExp,
): Promise<{ files: string[]; result: SuiteResult }> {
  const files = externalSuiteFiles(only);
  const result = await runSuite(files, set.gatewayUrl, superuser, {
    concurrency: 2,
    ceilingMs: SUITE_FILE_CEILING_MS,
    clockFile: set.clockFile,
    database: set.postgresUrl ? 'postgres' : undefined,
  });
  for (const r of [...result.files].sort((a, b) => b.durationMs - a.durationMs)) {
    ctx.diagnostic(`${(r.durationMs / 1000).toFixed(1)} s ${r.ok ? 'ok' : 'FAILED'} ${basename(r.file)}`);
  }
  assert.equal(result.fail, 0, `${result.fail} failed through the gateway:\n${result.report}\n${set.logs()}`);
  return { files, result };
}
