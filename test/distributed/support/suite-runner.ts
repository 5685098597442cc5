// Runs the HTTP scenario suite (and the SDK suites) of test/e2e against a running deployment: every
// compiled e2e file that targets `NB_TEST_BASE_URL` when it is set (those using runScenarios or
// startTestServer and starting no server of their own), each in its own process, several at a time where
// they can't see each other: the scenarios are isolated by their own users and collections, but the
// settings and the set of collections are the deployment's (see suiteRole).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TestContext } from 'node:test';

import { FileResult, repoRoot, runTestFiles, TestClock } from '@lib/testing';

import type { ServiceSet } from './service-set';

/** A suite file takes seconds to a minute: this only catches a hang. */
const SUITE_FILE_CEILING_MS = 10 * 60_000;

// Calls as tsc compiles them: `(0, testing_1.runScenarios)(`. A file that configures its server through
// the environment before it starts (`process.env.NB_HOOKS_DIR = …`: the hooks suite) can't use a running one.
const OWN_SERVERS = /\b(startNestbase|spawnServer|startSplitService|startRecordsApp|startProcess|runCli)\)?\(/;
const SERVER_ENV = /process\.env\.NB_[A-Z_]+ =/;
// A restore replaces the whole data dir and restarts the service: it can't share a deployment with other files
// (how a restore runs in the split set is still to be defined, issue 15); it runs against its own server.
const NOT_SHARED = /^ops-restore\./;
const TARGETS_URL = /\b(runScenarios|startTestServer)\)?\(/;

/** The compiled e2e files that run against an external target. */
export function externalSuiteFiles(only?: RegExp): string[] {
  const dir = join(repoRoot(), 'dist', 'test', 'e2e');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.e2e-spec.js') && (!only || only.test(name)))
    .filter((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      return TARGETS_URL.test(text) && !OWN_SERVERS.test(text) && !SERVER_ENV.test(text) && !NOT_SHARED.test(name);
    })
    .sort()
    .map((name) => join(dir, name));
  if (files.length === 0) {
    throw new Error(`no suite file in ${dir} matches ${String(only)}`);
  }
  return files;
}

/** The deployment's clock back on real time (the offset file every service reads says 0). */
async function resetClock(clockFile: string | undefined): Promise<void> {
  if (clockFile) {
    await new TestClock(clockFile).reset();
  }
}

/** What a file changes that other files running at the same time would see. */
export type SuiteRole = 'shared' | 'settings' | 'alone';

// Files that change what every other file relies on: rate limits, the storage backend, or the set of
// collections (`deleteMissing` drops every collection it isn't given), and the injection corpus, which
// compares the whole collection list before and after each row. Nothing runs beside them.
const ALONE = /\brateLimits\b|s3_server|deleteMissing|the database changed|\.advanceClock\(/;
// Files that change other settings (SMTP, batch …): one at a time, beside the shared files. A file left out
// here by mistake is stopped by the HTTP client (NB_TEST_PARALLEL) at its first settings change. The files that
// make backups too: one backup runs at a time in the whole deployment (on PostgreSQL the running-backup lock is the
// database's), so two of them side by side would refuse each other's ("Try again later").
const SETTINGS = /\/api\/settings['`]|smtp_catcher|\.setBatch\)?\(|settings\.update\(|'POST', '\/api\/backups'/;

/** How `file` may share the deployment (read from its compiled text). */
export function suiteRole(file: string): SuiteRole {
  const text = readFileSync(file, 'utf8');
  return ALONE.test(text) ? 'alone' : SETTINGS.test(text) ? 'settings' : 'shared';
}

export interface SuiteResult {
  pass: number;
  fail: number;
  files: FileResult[];
  /** The failing tests by file, then the output of each failing file. */
  report: string;
}

/** The environment of a suite file run against `baseUrl` (NB_* and PB_ADMIN_* of this process left out). */
function suiteEnv(
  baseUrl: string,
  superuser: { email: string; password: string },
  parallel: boolean,
  clockFile: string | undefined,
  database: string | undefined,
) {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('NB_') && !key.startsWith('PB_ADMIN_') && !key.startsWith('NODE_TEST')) {
      env[key] = value;
    }
  }
  return {
    ...env,
    NB_TEST_BASE_URL: baseUrl,
    NB_TEST_SUPERUSER_EMAIL: superuser.email,
    NB_TEST_SUPERUSER_PASSWORD: superuser.password,
    ...(parallel ? { NB_TEST_PARALLEL: '1' } : {}),
    ...(clockFile ? { NB_TEST_CLOCK_FILE: clockFile } : {}),
    ...(database ? { NB_TEST_DATABASE: database } : {}),
  };
}

/**
 * Runs `files` against `baseUrl`: first the files that must run alone, one by one (before the others fill the
 * deployment with collections), then the rest `concurrency` at a time with at most one settings file among
 * them. `ceilingMs` per file only catches a hang (the report names what was still running).
 */
export async function runSuite(
  files: string[],
  baseUrl: string,
  superuser: { email: string; password: string },
  options: { concurrency: number; ceilingMs: number; clockFile?: string; database?: 'postgres' },
): Promise<SuiteResult> {
  const role = new Map(files.map((file) => [file, suiteRole(file)]));
  const of = (wanted: SuiteRole) => files.filter((file) => role.get(file) === wanted);
  const alone: Awaited<ReturnType<typeof runTestFiles>> = [];
  for (const file of of('alone')) {
    // a file that moved the deployment's clock leaves it where it was: the next file starts on real time
    await resetClock(options.clockFile);
    const results = await runTestFiles([file], {
      concurrency: 1,
      ceilingMs: options.ceilingMs,
      env: suiteEnv(baseUrl, superuser, false, options.clockFile, options.database),
    });
    alone.push(...results);
  }
  await resetClock(options.clockFile);
  const rest = await runTestFiles([...of('settings'), ...of('shared')], {
    concurrency: options.concurrency,
    ceilingMs: options.ceilingMs,
    env: (file) => suiteEnv(baseUrl, superuser, role.get(file) === 'shared', options.clockFile, options.database),
    group: (file) => (role.get(file) === 'settings' ? 'settings' : undefined),
  });
  const results = [...alone, ...rest];
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
