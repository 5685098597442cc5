// Security issue 13, finding 1 through hooks: `app.save` of a record whose id belongs to a record of another
// auth collection is refused like the API's create (`validation_invalid_auth_id`). The server of this file
// loads its hooks from NB_HOOKS_DIR, set before it starts.
import assert from 'node:assert/strict';

import { DEFAULT_PASSWORD, runScenarios, ScenarioContext, uniqueEmail } from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';

const HOOKS = `
module.exports = (app) => {
  app.routerAdd('POST', '/api/hk/signup', async (e) => {
    const body = e.request.body;
    const record = e.app.newRecord('users', {
      id: body.id, email: body.email, password: body.password, passwordConfirm: body.password,
    });
    await e.app.save(record);
    e.json(200, { id: record.id });
  });
};
`;

process.env.NB_HOOKS_DIR = writeHooksDir({ 'signup.pb.js': HOOKS });

async function superuserId(t: ScenarioContext): Promise<void> {
  const list = await t.su.expectOk<{ items: { id: string }[] }>('GET', '/api/collections/_superusers/records');
  t.vars.victim = list.items[0].id;
}

runScenarios('app.save keeps auth ids unique across auth collections', [
  {
    name: "a hook saving a users record with a superuser's id → 400 validation_invalid_auth_id",
    method: 'POST',
    url: '/api/hk/signup',
    before: superuserId,
    body: (t) => ({ id: t.vars.victim, email: uniqueEmail('hk'), password: DEFAULT_PASSWORD }),
    expectStatus: 400,
    expectBody: { data: { id: { code: 'validation_invalid_auth_id' } } },
    after: async (t) => assert.equal(await t.findRecord('users', t.vars.victim), undefined),
  },
  {
    name: 'control: the same hook with a fresh id saves',
    method: 'POST',
    url: '/api/hk/signup',
    body: { email: uniqueEmail('hk'), password: DEFAULT_PASSWORD },
    expectStatus: 200,
  },
]);
