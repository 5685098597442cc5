// Request logs: GET /api/logs (paging, filter and sort over the log fields and data.*), /api/logs/stats,
// /api/logs/{id}; superusers only. Entries are written in batches, so checks poll until they appear.
import assert from 'node:assert/strict';

import { any, absent, matching, runScenarios, waitFor, type ScenarioContext } from '@lib/testing';

interface Log {
  id: string;
  level: number;
  message: string;
  created: string;
  data: Record<string, unknown>;
}
interface LogList {
  totalItems: number;
  items: Log[];
}

const userToken = async (t: ScenarioContext) => (await t.makeUser()).token;

/** The entries matching `filter`, once at least `min` are there (`min` 0: at once). */
async function logsFor(t: ScenarioContext, filter: string, min = 1): Promise<Log[]> {
  const url = `/api/logs?perPage=500&filter=${encodeURIComponent(filter)}`;
  return waitFor(async () => {
    const list = await t.su.expectOk<LogList>('GET', url);
    return list.items.length >= min ? list.items : null;
  }, `${min} log entries matching ${filter}`);
}

/**
 * A settings change reaches the log writer at its next flush: instead of waiting out that period, each round
 * sends a fresh request (a new URL tagged `tag` and the round) and looks at every entry of the rounds so far,
 * until `applied` finds one written under the new settings; returns what it returned. `extra` runs before
 * each round's request (a request that must be dropped, say): entries are flushed in request order.
 */
async function untilApplied<T>(
  t: ScenarioContext,
  tag: string,
  applied: (entries: Log[], round: (url: string) => number) => T | undefined | false | Promise<T | false>,
  token?: string,
  extra?: (round: number) => Promise<unknown>,
): Promise<T> {
  const urls: string[] = [];
  const round = (url: string) => urls.indexOf(url);
  const found = await waitFor(async () => {
    await extra?.(urls.length);
    urls.push(await marked(t, token, {}, `${tag}${urls.length}x`));
    return applied(await logsFor(t, `data.url ~ "missing_${t.suffix}${tag}"`, 0), round);
  }, `the log settings to apply (${tag})`);
  return found as T;
}

/** A request to a unique URL, so its entry can be found. */
async function marked(
  t: ScenarioContext,
  token?: string,
  headers: Record<string, string> = {},
  tag = '',
): Promise<string> {
  const url = `/api/collections/missing_${t.suffix}${tag}/records`;
  await t.request('GET', url, { token, headers });
  t.vars.url = url;
  return url;
}

runScenarios('GET /api/logs', [
  { name: 'guest', method: 'GET', url: '/api/logs', auth: 'guest', expectStatus: 401 },
  { name: 'regular user', method: 'GET', url: '/api/logs', auth: userToken, expectStatus: 403 },
  { name: 'guest stats', method: 'GET', url: '/api/logs/stats', auth: 'guest', expectStatus: 401 },
  { name: 'user stats', method: 'GET', url: '/api/logs/stats', auth: userToken, expectStatus: 403 },
  { name: 'guest view', method: 'GET', url: '/api/logs/abc', auth: 'guest', expectStatus: 401 },
  { name: 'unknown id', method: 'GET', url: '/api/logs/missing', auth: 'superuser', expectStatus: 404 },
  {
    name: 'bad filter is a 400',
    method: 'GET',
    url: `/api/logs?filter=${encodeURIComponent('data.status >>= 1')}`,
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, message: matching(/filter/), data: {} },
  },
  {
    name: 'bad sort is a 400',
    method: 'GET',
    url: '/api/logs?sort=nope',
    auth: 'superuser',
    expectStatus: 400,
  },
  {
    name: 'an error request is logged with its details, at level 8',
    method: 'GET',
    url: (t) => `/api/logs?filter=${encodeURIComponent(`data.url = "${t.vars.url}" && data.status = 404`)}`,
    auth: 'superuser',
    before: async (t) => {
      const user = await t.makeUser();
      await marked(t, user.token, { referer: 'http://example.test/page', 'user-agent': 'ops-test/1' });
      t.vars.user = user.record.id;
      await logsFor(t, `data.url = "${t.vars.url}"`);
    },
    expectStatus: 200,
    expectBody: (t) => ({
      page: 1,
      totalItems: 1,
      items: [
        {
          id: any(String),
          created: matching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/),
          level: 8,
          message: `GET ${t.vars.url}`,
          data: {
            type: 'request',
            method: 'GET',
            url: t.vars.url,
            status: 404,
            execTime: any(Number),
            auth: 'users',
            authId: absent(),
            userIP: '127.0.0.1',
            remoteIP: '127.0.0.1',
            referer: 'http://example.test/page',
            userAgent: 'ops-test/1',
            error: any(String),
          },
        },
      ],
    }),
  },
  {
    // through the gateway this request is the realtime service's, which has no database: its log still lands here
    name: 'a realtime request is logged like the others',
    method: 'GET',
    url: (t) => `/api/logs?filter=${encodeURIComponent(`data.userAgent = "rt-probe-${t.suffix}"`)}`,
    auth: 'superuser',
    before: async (t) => {
      const body = { clientId: `missing${t.suffix}`, subscriptions: [] };
      await t.request('POST', '/api/realtime', { body, headers: { 'user-agent': `rt-probe-${t.suffix}` } });
      await logsFor(t, `data.userAgent = "rt-probe-${t.suffix}"`);
    },
    expectStatus: 200,
    expectBody: {
      totalItems: 1,
      items: [
        { level: 8, message: 'POST /api/realtime', data: { type: 'request', url: '/api/realtime', status: 404 } },
      ],
    },
  },
  {
    name: 'sort by a data path and page',
    method: 'GET',
    url: '/api/logs?sort=-data.status,id&perPage=2&page=1',
    auth: 'superuser',
    expectStatus: 200,
    after: async (_t, res) => {
      const list = res.json<LogList & { perPage: number }>();
      assert.equal(list.perPage, 2);
      assert.ok(list.items.length <= 2);
      const statuses = list.items.map((l) => Number(l.data.status ?? 0));
      assert.deepEqual(
        statuses,
        [...statuses].sort((a, b) => b - a),
      );
    },
  },
  {
    name: 'view one entry',
    method: 'GET',
    url: (t) => `/api/logs/${t.vars.id}`,
    auth: 'superuser',
    before: async (t) => {
      await marked(t);
      t.vars.id = (await logsFor(t, `data.url = "${t.vars.url}"`))[0].id;
    },
    expectStatus: 200,
    expectBody: (t) => ({ id: t.vars.id, data: { url: t.vars.url } }),
  },
  {
    name: 'stats: hourly buckets',
    method: 'GET',
    url: (t) => `/api/logs/stats?filter=${encodeURIComponent(`data.url = "${t.vars.url}"`)}`,
    auth: 'superuser',
    before: async (t) => {
      await marked(t);
      await marked(t);
      await logsFor(t, `data.url = "${t.vars.url}"`, 2);
    },
    expectStatus: 200,
    expectBody: [{ total: 2, date: matching(/^\d{4}-\d\d-\d\d \d\d:00:00\.000Z$/) }],
  },
]);

runScenarios('logs settings', [
  {
    name: 'logAuthId adds the auth id; logIP off drops the addresses',
    method: 'GET',
    url: (t) => `/api/logs?filter=${encodeURIComponent(`data.url = "${t.vars.url}"`)}`,
    auth: 'superuser',
    before: async (t) => {
      const user = await t.makeUser();
      t.vars.user = user.record.id;
      await t.su.expectOk('PATCH', '/api/settings', { logs: { logAuthId: true, logIP: false } });
      const entry = await untilApplied(
        t,
        '_auth',
        (entries) => entries.find((e) => e.data.authId === user.record.id && !('userIP' in e.data)),
        user.token,
      );
      t.vars.url = String(entry.data.url);
      await t.su.expectOk('PATCH', '/api/settings', { logs: { logAuthId: false, logIP: true } });
    },
    expectStatus: 200,
    expectBody: (t) => ({ items: [{ data: { authId: t.vars.user, userIP: absent(), remoteIP: absent() } }] }),
  },
  {
    name: 'minLevel 8 keeps errors only; maxDays 0 keeps nothing',
    method: 'GET',
    url: '/api/health',
    auth: 'superuser',
    expectStatus: 200,
    after: async (t) => {
      // A 200 before each round's 404: once a round's 404 is stored without its 200, minLevel 8 applies.
      await t.su.expectOk('PATCH', '/api/settings', { logs: { minLevel: 8 } });
      const ok = (r: number) => `/api/health?ok=${t.suffix}_${r}`;
      await untilApplied(
        t,
        '_lvl',
        async (entries, round) => {
          const oks = await logsFor(t, `data.url ~ "/api/health?ok=${t.suffix}_"`, 0);
          const kept = new Set(oks.map((e) => String(e.data.url)));
          return entries.some((e) => !kept.has(ok(round(String(e.data.url)))));
        },
        undefined,
        (r) => t.request('GET', ok(r)),
      );
      // maxDays 0: a request made then is never stored, though one made after maxDays is 5 again is (entries
      // are flushed in order). A round whose request came before the writer saw maxDays 0 is stored: retried.
      let rounds = 0;
      await waitFor(async () => {
        rounds++;
        await t.su.expectOk('PATCH', '/api/settings', { logs: { minLevel: 0, maxDays: 0 } });
        const off = await marked(t, undefined, {}, `_off${rounds}x`);
        await t.su.expectOk('PATCH', '/api/settings', { logs: { maxDays: 5 } });
        await untilApplied(t, `_on${rounds}x`, (entries) => entries.length > 0);
        return (await logsFor(t, `data.url = "${off}"`, 0)).length === 0;
      }, 'a request made while maxDays is 0 to be left out');
    },
  },
  {
    name: 'the pruning job removes entries older than maxDays (0: all)',
    method: 'POST',
    url: '/api/crons/__pbLogsCleanup__',
    auth: 'superuser',
    expectStatus: 204,
  },
]);

runScenarios('logs under load', [
  {
    name: '300 concurrent requests all reach the store',
    method: 'GET',
    url: '/api/health',
    expectStatus: 200,
    after: async (t) => {
      const url = `/api/health?load=${t.suffix}`;
      await Promise.all(Array.from({ length: 300 }, () => t.request('GET', url)));
      const entries = await logsFor(t, `data.url = "${url}"`, 300);
      assert.equal(entries.length, 300);
    },
  },
]);
