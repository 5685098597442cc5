// The OpenAPI document lists the routes hooks add: a PocketBase-style file's top-level `routerAdd` and a hook
// module's `app.routerAdd`, on a real `nestbase serve --hooksDir`, with their path parameters; the document
// stays valid for an OpenAPI 3.1 validator, and the routes answer as the hooks say.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';
import { HttpClient, ManagedProcess, startNestbase, TEST_CEILING_MS, tokenFor } from '@lib/testing';

const SU = { PB_ADMIN_EMAIL: 'openapi-hooks@example.com', PB_ADMIN_PASSWORD: 'Openapi-Hooks-Passw0rd' };

const JSVM_FILE = `routerAdd("GET", "/api/greet/{name}", (e) => e.json(200, { hello: true }));
`;
const MODULE_FILE = `module.exports = (app) => {
  app.routerAdd('POST', '/api/tools/{path...}', (e) => e.json(200, { ok: true }));
};
`;

interface Doc {
  paths: Record<string, Record<string, { tags: string[]; parameters: { name: string }[] }>>;
}

void describe('OpenAPI: routes added by hooks', () => {
  const work = mkdtempSync(join(tmpdir(), 'nb-openapi-hooks-'));
  let proc: ManagedProcess | undefined;
  let doc: Doc;

  before(async () => {
    const hooks = join(work, 'pb_hooks');
    mkdirSync(hooks);
    writeFileSync(join(hooks, 'greet.pb.js'), JSVM_FILE);
    writeFileSync(join(hooks, 'tools.pb.js'), MODULE_FILE);
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env: SU });
    const http = new HttpClient(proc.baseUrl);
    const su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const res = await fetch(`${proc.baseUrl}/api/openapi.json`, { headers: { authorization: su } });
    assert.equal(res.status, 200);
    doc = (await res.json()) as Doc;
  });

  after(() => {
    proc?.kill();
    rmSync(work, { recursive: true, force: true });
  });

  void it(
    'lists both routes with their path parameters, in a valid document',
    { timeout: TEST_CEILING_MS },
    async () => {
      const greet = doc.paths['/api/greet/{name}']?.get;
      assert.ok(greet, Object.keys(doc.paths).join(', '));
      assert.deepEqual(greet.tags, ['api/hooks']);
      assert.deepEqual(
        greet.parameters.map((p) => p.name),
        ['name'],
      );
      const tools = doc.paths['/api/tools/{path}']?.post;
      assert.ok(tools);
      assert.deepEqual(
        tools.parameters.map((p) => p.name),
        ['path'],
      );
      assert.deepEqual(await new Validator().validate(doc as never), { valid: true });
      const hello = await fetch(`${proc!.baseUrl}/api/greet/ada`);
      assert.equal(hello.status, 200);
    },
  );
});
