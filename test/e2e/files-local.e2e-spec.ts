// The HTTP file scenarios on local storage (`<dir>/storage`); files-s3 runs the same tables on S3.
import { runScenarios } from '@lib/testing';

import { FileMode } from './support/file-helpers';
import { rangeScenarios } from './support/file-range-scenarios';
import { serveScenarios } from './support/file-serve-scenarios';
import { uploadScenarios } from './support/file-upload-scenarios';
import { viewScenarios } from './support/file-view-scenarios';

const local: FileMode = { name: 'local', setup: async () => undefined };

runScenarios('files on local storage: uploads with records', uploadScenarios(local));
runScenarios('files on local storage: serving, thumbs, protected files', serveScenarios(local));
runScenarios('files on local storage: multi-range requests', rangeScenarios(local));
runScenarios('files on local storage: view collections serve the source record files', viewScenarios(local));
runScenarios('POST /api/settings/test/s3 without S3', [
  { name: 'guest → 401', method: 'POST', url: '/api/settings/test/s3', auth: 'guest', body: {}, expectStatus: 401 },
  {
    name: 'regular user → 403',
    method: 'POST',
    url: '/api/settings/test/s3',
    before: async (t) => t.auth(await t.makeUser()),
    body: {},
    expectStatus: 403,
  },
  {
    name: 's3 disabled → 400',
    method: 'POST',
    url: '/api/settings/test/s3',
    auth: 'superuser',
    body: { filesystem: 'storage' },
    expectStatus: 400,
  },
  {
    name: 'unknown filesystem → 400',
    method: 'POST',
    url: '/api/settings/test/s3',
    auth: 'superuser',
    body: { filesystem: 'other' },
    expectStatus: 400,
    expectBody: { data: { filesystem: { code: 'validation_in_invalid' } } },
  },
]);
