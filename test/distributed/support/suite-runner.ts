// Runs the HTTP scenario suite (and the SDK suites) of test/e2e against a running deployment: every
// compiled e2e file that targets `NB_TEST_BASE_URL` when it is set (those using runScenarios or
// startTestServer and starting no server of their own), in node's test runner, one file at a time
// because they share the deployment's settings.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from '@lib/testing';

// Calls as tsc compiles them: `(0, testing_1.runScenarios)(`. A file that configures its server through
// the environment before it starts (`process.env.NB_HOOKS_DIR = …`: the hooks suite) can't use a running one.
const OWN_SERVERS = /\b(startNestbase|spawnServer|startSplitService|startRecordsApp|startProcess|runCli)\)?\(/;
const SERVER_ENV = /process\.env\.NB_[A-Z_]+ =/;
const TARGETS_URL = /\b(runScenarios|startTestServer)\)?\(/;

/** The compiled e2e files that run against an external target. */
export function externalSuiteFiles(only?: RegExp): string[] {
  const dir = join(repoRoot(), 'dist', 'test', 'e2e');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.e2e-spec.js') && (!only || only.test(name)))
    .filter((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      return TARGETS_URL.test(text) && !OWN_SERVERS.test(text) && !SERVER_ENV.test(text);
    })
    .sort()
    .map((name) => join(dir, name));
  if (files.length === 0) {
    // `node --test` with no file would run whatever it finds under the working directory.
    throw new Error(`no suite file in ${dir} matches ${String(only)}`);
  }
  return files;
}

export interface SuiteResult {
  code: number | null;
  pass: number;
  fail: number;
  /** The runner's output, failing tests first. */
  report: string;
}

/** Runs `files` against `baseUrl` with the given superuser; bounded by `timeoutMs`. */
export async function runSuite(
  files: string[],
  baseUrl: string,
  superuser: { email: string; password: string },
  timeoutMs: number,
): Promise<SuiteResult> {
  const root = repoRoot();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('NB_') && !key.startsWith('PB_ADMIN_') && !key.startsWith('NODE_TEST')) {
      env[key] = value;
    }
  }
  Object.assign(env, {
    NB_TEST_BASE_URL: baseUrl,
    NB_TEST_SUPERUSER_EMAIL: superuser.email,
    NB_TEST_SUPERUSER_PASSWORD: superuser.password,
  });
  const child = spawn(
    process.execPath,
    ['-r', join(root, 'scripts', 'paths.js'), '--test', '--test-concurrency=1', '--test-reporter=tap', ...files],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)`, 'm').exec(out)?.[1] ?? 0);
  const failures = out
    .split('\n')
    .map((line, i, lines) => (/^\s*not ok /.test(line) ? lines.slice(i, i + 25).join('\n') : ''))
    .filter(Boolean);
  return { code, pass: count('pass'), fail: count('fail'), report: `${failures.join('\n')}\n…\n${out.slice(-3000)}` };
}
