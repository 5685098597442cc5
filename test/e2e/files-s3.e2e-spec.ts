// The same HTTP file scenarios as files-local, with the server storing files in S3 (`s3rver` on a
// free port, configured through PATCH /api/settings), plus the S3 connection test.
import assert from 'node:assert/strict';
import { after } from 'node:test';

import { runScenarios, ScenarioContext, targetOnPostgres } from '@lib/testing';

import { FileMode } from './support/file-helpers';
import { rangeScenarios } from './support/file-range-scenarios';
import { serveScenarios } from './support/file-serve-scenarios';
import { uploadScenarios } from './support/file-upload-scenarios';
import { viewScenarios } from './support/file-view-scenarios';
import { startS3, TestS3 } from './support/s3-server';

/**
 * The PostgreSQL service set has no shared data dir, so it keeps its backups in S3 (README "PostgreSQL"): there the
 * backups bucket is enabled and reachable, and its connection test answers 204.
 */
const BACKUPS_ON_S3 = Boolean(process.env.NB_TEST_BASE_URL) && targetOnPostgres();

let s3: Promise<TestS3> | undefined;
let configured: Promise<void> | undefined;

async function useS3(t: ScenarioContext): Promise<void> {
  s3 ??= startS3();
  const server = await s3;
  configured ??= t.su.expectOk('PATCH', '/api/settings', { s3: server.settings }).then(() => undefined);
  await configured;
}

after(async () => {
  await (await s3)?.stop();
});

let current: TestS3 | undefined;
const mode: FileMode = {
  name: 's3',
  setup: async (t) => {
    await useS3(t);
    current = await s3;
  },
  keys: (prefix) => current?.keys(prefix) ?? [],
};

runScenarios('files on S3: uploads with records', uploadScenarios(mode));
runScenarios('files on S3: serving, thumbs, protected files', serveScenarios(mode));
runScenarios('files on S3: multi-range requests', rangeScenarios(mode));
runScenarios('files on S3: view collections serve the source record files', viewScenarios(mode));
runScenarios('POST /api/settings/test/s3', [
  {
    name: 'reachable bucket → 204',
    method: 'POST',
    url: '/api/settings/test/s3',
    auth: 'superuser',
    before: useS3,
    body: { filesystem: 'storage' },
    expectStatus: 204,
  },
  {
    name: 'settings never show the secret',
    method: 'GET',
    url: '/api/settings',
    auth: 'superuser',
    before: useS3,
    expectStatus: 200,
    expectBody: { s3: { enabled: true, secret: '' } },
  },
  {
    name: BACKUPS_ON_S3 ? 'backups S3 enabled by the PostgreSQL set → 204' : 'backups S3 not enabled → 400',
    method: 'POST',
    url: '/api/settings/test/s3',
    auth: 'superuser',
    before: useS3,
    body: { filesystem: 'backups' },
    expectStatus: BACKUPS_ON_S3 ? 204 : 400,
    after: async () => assert.ok(current),
  },
]);
