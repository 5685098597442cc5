// The structured log of a process (JSON when stdout isn't a terminal): X-Request-Id taken when sane, made up
// otherwise, echoed on every response; one access line per request (level, time, service, reqId, route template,
// status, ms, authId); Nest's own lines in the same format; a realtime delivery's line carries the id of the
// request that caused it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  bannerText,
  HttpClient,
  ManagedProcess,
  OPEN_RULES,
  ScenarioContext,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
  waitForBanner,
} from '@lib/testing';

import { RawSse, waitUntil } from './support/realtime-helpers';

const SU = { email: 'logs-su@example.com', password: 'Logs-Superuser-Passw0rd' };
const TIMEOUT = { timeout: TEST_CEILING_MS };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Line = Record<string, unknown>;

void describe('structured logs and request ids', () => {
  let dir = '';
  let server: ManagedProcess | undefined;
  let http: HttpClient;
  let token = '';

  /** The JSON lines of the server's stdout (every line is one). */
  const lines = (): Line[] =>
    server!
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line);
  const accessLine = async (reqId: string): Promise<Line> => {
    let found: Line | undefined;
    await waitUntil(() => (found = lines().find((l) => l.reqId === reqId && l.msg === 'request')) !== undefined, reqId);
    return found!;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-logs-'));
    const env = {
      PB_ADMIN_EMAIL: SU.email,
      PB_ADMIN_PASSWORD: SU.password,
      NB_LOG_LEVEL: 'info',
      NB_REQUEST_CONTEXT: 'true',
    };
    server = await startNestbase(dir, [], { env });
    http = new HttpClient(server.baseUrl);
    token = await tokenFor(http, '_superusers', SU.email, SU.password);
  }, TIMEOUT);

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it('keeps a sane X-Request-Id, replaces others, and answers with it every time', TIMEOUT, async () => {
    const ids = async (sent: string | undefined, url = '/api/health') =>
      (await http.request('GET', url, { headers: sent === undefined ? {} : { 'X-Request-Id': sent } })).headers.get(
        'x-request-id',
      );
    assert.equal(await ids('client-id.1:a/b'), 'client-id.1:a/b');
    assert.equal(await ids('trace-404', '/api/collections/nope/records'), 'trace-404');
    for (const bad of [undefined, '', 'has space', 'semi;colon', 'x'.repeat(129), 'ümlaut']) {
      assert.match((await ids(bad)) ?? '', UUID, JSON.stringify(bad));
    }
  });

  void it(
    'writes one access line per request: level, time, service, reqId, route, status, ms, authId',
    TIMEOUT,
    async () => {
      const res = await http.request('GET', '/api/collections?perPage=1', {
        token,
        headers: { 'X-Request-Id': 'logs-authed-1' },
      });
      assert.equal(res.status, 200, res.text);
      const line = await accessLine('logs-authed-1');
      const superuser = (await http.request('POST', '/api/collections/_superusers/auth-refresh', { token })).json<{
        record: { id: string };
      }>().record.id;
      assert.equal(line.level, 'info');
      assert.ok(!Number.isNaN(Date.parse(String(line.time))), String(line.time));
      assert.deepEqual(
        [line.service, line.method, line.url, line.route, line.status, line.authId],
        ['nestbase', 'GET', '/api/collections?perPage=1', '/api/collections', 200, superuser],
      );
      assert.equal(typeof line.ms, 'number');
      await http.request('GET', '/api/collections/nope/records/x', { headers: { 'X-Request-Id': 'logs-404' } });
      const missing = await accessLine('logs-404');
      assert.deepEqual(
        [missing.route, missing.status, missing.authId],
        ['/api/collections/:collection/records/:id', 404, undefined],
      );
    },
  );

  void it('logs the start-up banner as a JSON line', () => {
    const banner = lines().find((l) => typeof l.msg === 'string' && l.msg.includes(' started at '));
    assert.ok(banner, server!.stdout());
    const address = server!.baseUrl;
    assert.deepEqual(
      [banner.level, banner.service, banner.msg, banner.address, banner.tree],
      [
        'info',
        'nestbase',
        `nestbase started at ${address}`,
        address,
        [`REST API:  ${address}/api/`, `Dashboard: ${address}/_/`],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(String(banner.time))));
  });

  void it('prints the banner as a tree in the pretty format, whatever NB_LOG_LEVEL says', TIMEOUT, async () => {
    const prettyDir = mkdtempSync(join(tmpdir(), 'nestbase-logs-pretty-'));
    const pretty = await startNestbase(prettyDir, [], {
      env: { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password, NB_LOG_FORMAT: 'pretty', NB_LOG_LEVEL: 'error' },
    });
    try {
      const address = pretty.baseUrl;
      assert.equal((await waitForBanner(pretty, /^nestbase started at (\S+)$/m))[1], address);
      const out = pretty.stdout();
      assert.doesNotMatch(out, /^\{/m, 'no JSON line in the pretty format');
      const all = out.split('\n');
      const at = all.findIndex((line) => line.includes(' started at '));
      assert.match(all[at], /^\d\d:\d\d:\d\d\.\d{3} INFO {2}nestbase nestbase started at http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(all.slice(at + 1, at + 3), [`├─ REST API:  ${address}/api/`, `└─ Dashboard: ${address}/_/`]);
      assert.match(bannerText(out), new RegExp(`^Dashboard: ${address}/_/$`, 'm'));
    } finally {
      await pretty.stop();
      rmSync(prettyDir, { recursive: true, force: true });
    }
  });

  void it("routes Nest's own lines through the same log", () => {
    const nest = lines().filter((l) => l.context === 'NestApplication' || l.context === 'RoutesResolver');
    assert.ok(nest.length > 0, 'Nest start-up lines as JSON');
    assert.deepEqual(Object.keys(nest[0]).slice(0, 3), ['level', 'time', 'service']);
  });

  void it('puts the request id of a create on the realtime delivery it caused', TIMEOUT, async () => {
    const t = new ScenarioContext(http, token);
    await t.createCollection({ name: 'logged', ...OPEN_RULES, fields: [text('title')] });
    const sse = await RawSse.open(server!.baseUrl);
    try {
      const sub = await http.request('POST', '/api/realtime', {
        body: { clientId: sse.clientId, subscriptions: [`${t.col('logged')}/*`] },
      });
      assert.equal(sub.status, 204, sub.text);
      const res = await http.request('POST', t.records('logged'), {
        body: { title: 'x' },
        headers: { 'X-Request-Id': 'logs-create-1' },
      });
      assert.equal(res.status, 200, res.text);
      let delivery: Line | undefined;
      await waitUntil(
        () =>
          (delivery = lines().find((l) => l.msg === 'realtime delivery' && l.reqId === 'logs-create-1')) !== undefined,
        'the delivery line',
      );
      assert.deepEqual([delivery!.event, delivery!.collection, delivery!.sent], ['create', t.col('logged'), 1]);
    } finally {
      sse.close();
    }
  });
});
