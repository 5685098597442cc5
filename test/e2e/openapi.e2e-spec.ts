// GET /api/openapi.json and /api/docs: the document of the live collections is a valid OpenAPI 3.1 document (checked
// with @seriousme/openapi-schema-validator) for collections of every field type, auth and view collections included;
// a smoke test driven by it (every GET path without path parameters answers below 500, every list path 200 for a
// superuser); superusers only by default; cached until the collections change; the viewer and its assets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';

import { HttpClient, RunningServer, startTestServer, tokenFor, uniqueEmail, DEFAULT_PASSWORD } from '@lib/testing';

import { createEveryFieldType, type FixtureNames } from './support/openapi-fixture';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { description?: string; requestBody?: unknown; parameters?: unknown[] }>>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
};

let server: RunningServer;
let http: HttpClient;
let su = '';
let names: FixtureNames;

/** Status of a GET, reading only the headers (the realtime stream never ends). */
async function probe(path: string, token?: string): Promise<number> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    headers: token ? { authorization: token } : {},
    redirect: 'manual',
  });
  await res.body?.cancel();
  return res.status;
}

async function documentAs(token?: string): Promise<Doc> {
  const res = await http.request('GET', '/api/openapi.json', { token });
  assert.equal(res.status, 200, res.text.slice(0, 300));
  return res.json<Doc>();
}

void describe('GET /api/openapi.json', () => {
  before(async () => {
    server = await startTestServer(process.env);
    http = new HttpClient(server.baseUrl);
    su = await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword);
    names = await createEveryFieldType(http, su);
  });
  after(async () => {
    await server?.stop();
  });

  void it('is a valid OpenAPI 3.1 document with the record routes of every collection', async () => {
    const doc = await documentAs(su);
    const result = await new Validator().validate(doc);
    assert.deepEqual(result, { valid: true }, JSON.stringify(result.errors, null, 2)?.slice(0, 3000));
    assert.equal(doc.openapi, '3.1.0');
    const base = `/api/collections/${names.base}/records`;
    assert.deepEqual(Object.keys(doc.paths[base]).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(doc.paths[`${base}/{id}`]).sort(), ['delete', 'get', 'patch']);
    const view = `/api/collections/${names.view}/records`;
    assert.deepEqual(Object.keys(doc.paths[view]), ['get'], 'a view collection is read-only');
    assert.ok(doc.paths[`/api/collections/${names.auth}/auth-with-password`].post);
    assert.ok(doc.paths[`/api/collections/${names.auth}/request-otp`].post);
    assert.equal(doc.paths[`/api/collections/${names.base}/auth-with-password`], undefined);
    for (const fixed of ['/api/collections', '/api/settings', '/api/logs', '/api/backups', '/api/crons']) {
      assert.ok(doc.paths[fixed]?.get, fixed);
    }
    for (const fixed of ['/api/batch', '/api/realtime', '/api/files/token', '/api/health']) {
      assert.ok(doc.paths[fixed], fixed);
    }
  });

  void it('gives each field type its schema, files as multipart uploads, the rules in the descriptions', async () => {
    const doc = await documentAs(su);
    const record = doc.components.schemas[`${names.base}.Record`].properties!;
    assert.equal(record.score.type, 'number');
    assert.equal(record.published.type, 'boolean');
    assert.deepEqual(record.status.enum, ['draft', 'published', '']);
    assert.equal((record.labels.items as { enum: string[] }).enum.length, 3);
    assert.equal(record.reviewers.type, 'array');
    assert.equal(record.author.type, 'string');
    assert.deepEqual(Object.keys(record.place.properties as object), ['lon', 'lat']);
    assert.match(String(record.secret.description), /superusers/);
    const create = doc.components.schemas[`${names.base}.Create`].properties!;
    assert.equal(create.cover.format, 'binary');
    assert.equal((create.attachments.items as { format: string }).format, 'binary');
    assert.ok(create['attachments+'] && create['labels-'] && create['score+']);
    assert.equal(create.created, undefined, 'autodate fields are not input');
    const post = doc.paths[`/api/collections/${names.base}/records`].post;
    assert.ok((post.requestBody as { content: Record<string, unknown> }).content['multipart/form-data']);
    assert.match(String(post.description), /createRule.*@request\.auth\.id != ""/);
    assert.match(String(doc.paths[`/api/collections/${names.base}/records/{id}`].delete.description), /locked/);
    const auth = doc.components.schemas[`${names.auth}.Record`].properties!;
    assert.ok(auth.email && auth.verified && auth.nickname);
    assert.equal(auth.password, undefined, 'the password hash is never in a record');
  });

  void it('answers every GET path without path parameters below 500, and every list path 200', async () => {
    const doc = await documentAs(su);
    const plain = Object.keys(doc.paths).filter((p) => !p.includes('{') && doc.paths[p].get);
    assert.ok(plain.length >= 20, `only ${plain.length} GET paths`);
    const failures: string[] = [];
    for (const path of plain) {
      const status = await probe(path, su);
      const list = /^\/api\/collections\/[^/]+\/records$/.test(path);
      if (list && status === 404 && (await probe(`/api/collections/${path.split('/')[3]}`, su)) === 404) {
        continue; // on a shared deployment another file deleted that collection after the document was made
      }
      if (status >= 500 || (list && status !== 200)) {
        failures.push(`${path}: ${status}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  void it('is for superusers only: 401 for guests, 403 for other auth records', async () => {
    const email = uniqueEmail('oa');
    const created = await http.request('POST', `/api/collections/${names.auth}/records`, {
      body: { email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD },
    });
    assert.equal(created.status, 200, created.text);
    const user = await tokenFor(http, names.auth, email, DEFAULT_PASSWORD);
    const guest = await http.request('GET', '/api/openapi.json');
    assert.equal(guest.status, 401);
    assert.deepEqual(Object.keys(guest.json<object>()).sort(), ['data', 'message', 'status']);
    assert.equal((await http.request('GET', '/api/openapi.json', { token: user })).status, 403);
    assert.equal((await http.request('GET', '/api/openapi.json', { headers: { authorization: 'junk' } })).status, 401);
  });

  void it('is cached until the collections change (same ETag, 304), then shows the change', async () => {
    // On a shared deployment other files change collections meanwhile, and the document rightly changes with
    // them: a 200 must then carry a new ETag; tries go on (bounded in count and time) until a moment with no
    // change between the two requests. CI's distributed set once saw ten changes in a row.
    let etag: string | null = null;
    let revalidated = false;
    const until = Date.now() + 60_000;
    for (let attempt = 0; attempt < 200 && !revalidated && Date.now() < until; attempt++) {
      const first = await http.request('GET', '/api/openapi.json', { token: su });
      etag = first.headers.get('etag');
      assert.ok(etag);
      const headers = { 'if-none-match': etag };
      const again = await http.request('GET', '/api/openapi.json', { token: su, headers });
      revalidated = again.status === 304;
      if (!revalidated) {
        assert.equal(again.status, 200);
        assert.notEqual(again.headers.get('etag'), etag, 'a 200 for an unchanged document');
      }
    }
    assert.ok(revalidated, 'never a 304 for an unchanged document');
    const name = `${names.base}_x`;
    const res = await http.request('POST', '/api/collections', { token: su, body: { name, type: 'base' } });
    assert.equal(res.status, 200, res.text);
    const changed = await http.request('GET', '/api/openapi.json', {
      token: su,
      headers: { 'if-none-match': etag ?? '' },
    });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.ok(changed.json<Doc>().paths[`/api/collections/${name}/records`]);
    assert.equal((await http.request('DELETE', `/api/collections/${name}`, { token: su })).status, 204);
  });

  void it('serves the viewer page at /api/docs and the bundled Swagger UI files, nothing else', async () => {
    const page = await http.request('GET', '/api/docs');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.text, /swagger-ui-bundle\.js/);
    assert.doesNotMatch(page.text, /https?:\/\//, 'no CDN');
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const init = await http.request('GET', '/api/docs/init.js');
    assert.equal(init.status, 200);
    assert.match(init.text, /\/api\/openapi\.json/);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png']) {
      assert.equal(await probe(`/api/docs/${asset}`), 200, asset);
    }
    for (const bad of ['package.json', '..%2Fpackage.json', 'index.html', '%2e%2e']) {
      const res = await http.request('GET', `/api/docs/${bad}`);
      assert.equal(res.status, 404, bad);
      assert.equal(res.json<{ status: number }>().status, 404);
    }
  });
});
