// GET /api/crons and POST /api/crons/{id}: superusers only; hook `cronAdd` jobs first, the system jobs after;
// running a job through the API runs its handler (the hook appends to a file). The hooks dir is set before
// the file's server starts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { arrayContaining, runScenarios, type ScenarioContext } from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';

const work = mkdtempSync(join(tmpdir(), 'nb-ops-crons-'));
const ranFile = join(work, 'ran.log');
process.env.NB_HOOKS_DIR = writeHooksDir({
  'jobs.pb.js': `const fs = require('node:fs');
module.exports = (app) => {
  app.cronAdd('nightly_report', '0 3 * * *', (e) => fs.appendFileSync(${JSON.stringify(ranFile)}, e.name + '\\n'));
  app.cronAdd('a_first', '*/5 * * * *', () => undefined);
};
`,
});

const SYSTEM = ['__pbLogsCleanup__', '__pbDBOptimize__', '__pbMFACleanup__', '__pbOTPCleanup__'];
const userToken = async (t: ScenarioContext) => (await t.makeUser()).token;

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(check(), 'condition not met in time');
}

runScenarios('GET /api/crons', [
  { name: 'guest', method: 'GET', url: '/api/crons', auth: 'guest', expectStatus: 401, expectBody: { data: {} } },
  { name: 'regular user', method: 'GET', url: '/api/crons', auth: userToken, expectStatus: 403 },
  {
    name: 'superuser: hook jobs by id, then the system jobs',
    method: 'GET',
    url: '/api/crons',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: arrayContaining([
      { id: 'a_first', expression: '*/5 * * * *' },
      { id: 'nightly_report', expression: '0 3 * * *' },
      { id: '__pbLogsCleanup__', expression: '0 */6 * * *' },
      { id: '__pbOTPCleanup__', expression: '0 * * * *' },
    ]),
    after: async (_t, res) => {
      const ids = res.json<{ id: string }[]>().map((job) => job.id);
      assert.deepEqual(ids.slice(0, 2), ['a_first', 'nightly_report']);
      for (const id of SYSTEM) {
        assert.ok(ids.indexOf(id) > 1, `${id} listed after the hook jobs: ${ids.join(', ')}`);
      }
      assert.ok(!ids.includes('__pbAutoBackup__'), 'no scheduled backup without backups.cron');
    },
  },
]);

runScenarios('POST /api/crons/{id}', [
  { name: 'guest', method: 'POST', url: '/api/crons/nightly_report', auth: 'guest', expectStatus: 401 },
  { name: 'regular user', method: 'POST', url: '/api/crons/nightly_report', auth: userToken, expectStatus: 403 },
  {
    name: 'unknown job',
    method: 'POST',
    url: '/api/crons/missing',
    auth: 'superuser',
    expectStatus: 404,
    expectBody: { status: 404, message: 'Missing or invalid cron job.', data: {} },
  },
  {
    name: 'a hook job runs now',
    method: 'POST',
    url: '/api/crons/nightly_report',
    auth: 'superuser',
    expectStatus: 204,
    after: async () => {
      await waitFor(() => existsSync(ranFile) && readFileSync(ranFile, 'utf8').includes('nightly_report'));
    },
  },
  ...SYSTEM.map((id) => ({
    name: `system job ${id} runs`,
    method: 'POST' as const,
    url: `/api/crons/${id}`,
    auth: 'superuser' as const,
    expectStatus: 204,
  })),
]);
