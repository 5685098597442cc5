// The e2e files that can run against a server they don't start (NB_TEST_BASE_URL: those using runScenarios or
// startTestServer and starting no server of their own), and how each may share that server with the others:
// the scenarios are isolated by their own users and collections, but the settings and the set of collections
// are the server's. Used by the distributed sets (test/distributed/support/suite-runner.ts: through a gateway)
// and by the test runner (scripts/run-tests.js: on shared standalone servers, see shared-servers.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './test-server';

// Calls as tsc compiles them: `(0, testing_1.runScenarios)(`. A file that configures its server through
// the environment before it starts (`process.env.NB_HOOKS_DIR = …`: the hooks suite) can't use a running one.
const OWN_SERVERS = /\b(startNestbase|spawnServer|startSplitService|startRecordsApp|startProcess|runCli)\)?\(/;
const SERVER_ENV = /process\.env\.NB_[A-Z_]+ =/;
// A restore replaces the whole data dir and restarts the service: it can't share a deployment with other files
// (how a restore runs in the split set is still to be defined, issue 15); it runs against its own server.
const NOT_SHARED = /(^|\/)ops-restore\./;
const TARGETS_URL = /\b(runScenarios|startTestServer)\)?\(/;

/** True when the compiled e2e file `file` can run against an external target. */
export function isSuiteFile(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  return TARGETS_URL.test(text) && !OWN_SERVERS.test(text) && !SERVER_ENV.test(text) && !NOT_SHARED.test(file);
}

/** The compiled e2e files (dist/test/e2e) that run against an external target, those `only` matches by name. */
export function externalSuiteFiles(only?: RegExp): string[] {
  const dir = join(repoRoot(), 'dist', 'test', 'e2e');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.e2e-spec.js') && (!only || only.test(name)))
    .map((name) => join(dir, name))
    .filter(isSuiteFile)
    .sort();
  if (files.length === 0) {
    throw new Error(`no suite file in ${dir} matches ${String(only)}`);
  }
  return files;
}

/** What a file changes that other files running at the same time would see. */
export type SuiteRole = 'shared' | 'settings' | 'alone';

// Files that change what every other file relies on: rate limits, the storage backend, or the set of
// collections (`deleteMissing` drops every collection it isn't given), the injection corpus, which
// compares the whole collection list before and after each row, and those that move the clock. Nothing runs
// beside them.
const ALONE = /\brateLimits\b|s3_server|deleteMissing|the database changed|\.advanceClock\(/;
// Files that change other settings (SMTP, batch …): one at a time, beside the shared files. A file left out
// here by mistake is stopped by the HTTP client (NB_TEST_PARALLEL) at its first settings change. The files that
// make backups too: one backup runs at a time in the whole deployment (on PostgreSQL the running-backup lock is the
// database's), so two of them side by side would refuse each other's ("Try again later").
const SETTINGS = /\/api\/settings['`]|smtp_catcher|\.setBatch\)?\(|settings\.update\(|'POST', '\/api\/backups'/;

/** How `file` may share the server (read from its compiled text). */
export function suiteRole(file: string): SuiteRole {
  const text = readFileSync(file, 'utf8');
  return ALONE.test(text) ? 'alone' : SETTINGS.test(text) ? 'settings' : 'shared';
}

/** A running server (or deployment) the suite files are run against. */
export interface SuiteTarget {
  baseUrl: string;
  superuser: { email: string; password: string };
  /** The offset file of its clock (NB_TEST_CLOCK_FILE of its processes), if it has a movable one. */
  clockFile?: string;
  database?: 'postgres';
}

/**
 * The environment of a suite file run against `target` (NB_*, PB_ADMIN_* and NODE_TEST* of this process left
 * out); `parallel`: it runs beside others, so its HTTP client refuses settings changes.
 */
export function suiteEnv(target: SuiteTarget, parallel: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('NB_') && !key.startsWith('PB_ADMIN_') && !key.startsWith('NODE_TEST')) {
      env[key] = value;
    }
  }
  return {
    ...env,
    NB_TEST_BASE_URL: target.baseUrl,
    NB_TEST_SUPERUSER_EMAIL: target.superuser.email,
    NB_TEST_SUPERUSER_PASSWORD: target.superuser.password,
    ...(parallel ? { NB_TEST_PARALLEL: '1' } : {}),
    ...(target.clockFile ? { NB_TEST_CLOCK_FILE: target.clockFile } : {}),
    ...(target.database ? { NB_TEST_DATABASE: target.database } : {}),
  };
}
