// Operations settings that act: backups.cron schedules __pbAutoBackup__ and cronMaxKeep rotates its backups,
// batch.maxBodySize limits batch requests, trustedProxy picks the logged client address; values nestbase can't
// honour are refused with a 400 naming them.
import assert from 'node:assert/strict';

import { runScenarios, WAIT_CEILING_MS, type Expected, type ScenarioContext } from '@lib/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function crons(t: ScenarioContext): Promise<string[]> {
  return (await t.su.expectOk<{ id: string }[]>('GET', '/api/crons')).map((j) => j.id);
}

async function autoBackups(t: ScenarioContext): Promise<string[]> {
  const list = await t.su.expectOk<{ key: string }[]>('GET', '/api/backups');
  return list.map((b) => b.key).filter((k) => k.startsWith('@auto_pb_backup_'));
}

/**
 * The ceiling only catches a hang: a backup of the whole suite's data takes a while (on the PostgreSQL set under a
 * load average of 23 one auto backup took over 60 s).
 */
const CEILING_MS = 3 * WAIT_CEILING_MS;

/** Waits for a condition (at most CEILING_MS). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + CEILING_MS;
  while (!(await check())) {
    assert.ok(Date.now() < end, `${what}: not within ${CEILING_MS} ms`);
    await sleep(100);
  }
}

/** The log writer reads the settings again at its next flush: probe until a logged request shows the header's IP. */
async function proxyApplied(t: ScenarioContext): Promise<void> {
  for (let n = 0; ; n++) {
    const url = `/api/collections/probe_${t.suffix}_${n}/records`;
    await t.request('GET', url, { headers: { 'X-Real-IP': '203.0.113.7' } });
    let ip: string | undefined;
    await until('the probe logged', async () => {
      const filter = encodeURIComponent(`data.url = "${url}"`);
      const items = (
        await t.su.expectOk<{ items: { data: { userIP?: string } }[] }>('GET', `/api/logs?filter=${filter}`)
      ).items;
      ip = items[0]?.data.userIP;
      return items.length > 0;
    });
    if (ip === '203.0.113.7') {
      return;
    }
    assert.ok(n < 1000, 'trustedProxy never applied to the logs');
  }
}

const refused = (name: string, body: Record<string, unknown>, expectBody: Expected) => ({
  name,
  method: 'PATCH' as const,
  url: '/api/settings',
  auth: 'superuser' as const,
  body,
  expectStatus: 400,
  expectBody: { data: expectBody },
});

runScenarios('PATCH /api/settings (operations)', [
  refused(
    'negative logs.maxDays',
    { logs: { maxDays: -1 } },
    { logs: { maxDays: { code: 'validation_invalid_value' } } },
  ),
  refused('fractional logs.minLevel', { logs: { minLevel: 1.5 } }, { logs: { minLevel: {} } }),
  refused(
    'a bad backups.cron',
    { backups: { cron: '61 * * * *' } },
    { backups: { cron: { code: 'validation_invalid_cron' } } },
  ),
  refused('backups.cronMaxKeep 0', { backups: { cronMaxKeep: 0 } }, { backups: { cronMaxKeep: {} } }),
  refused('backups.s3 of the wrong types', { backups: { s3: { enabled: 'yes' } } }, { backups: { s3: {} } }),
  refused('negative batch.maxBodySize', { batch: { maxBodySize: -5 } }, { batch: { maxBodySize: {} } }),
  refused('trustedProxy.headers not names', { trustedProxy: { headers: ['a b'] } }, { trustedProxy: { headers: {} } }),
  refused(
    'superuserIPs (not honoured)',
    { superuserIPs: ['10.0.0.1'] },
    { superuserIPs: { code: 'validation_not_supported' } },
  ),
  {
    name: 'a refused patch stores nothing',
    method: 'GET',
    url: '/api/settings',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: { logs: { maxDays: 5 }, superuserIPs: [] },
  },
]);

runScenarios('backups.cron', [
  {
    name: 'schedules __pbAutoBackup__, runs it, keeps cronMaxKeep auto backups, and unschedules',
    method: 'PATCH',
    url: '/api/settings',
    auth: 'superuser',
    body: { backups: { cron: '0 3 * * *', cronMaxKeep: 2 } },
    expectStatus: 200,
    after: async (t) => {
      await until('__pbAutoBackup__ listed', async () => (await crons(t)).includes('__pbAutoBackup__'));
      const probe = `probe_${Date.now()}.zip`;
      assert.equal((await t.su.request('POST', '/api/backups', { name: probe })).status, 204);
      for (let i = 0; i < 3; i++) {
        const before = await autoBackups(t);
        const second = Math.floor(Date.now() / 1000);
        assert.equal((await t.su.request('POST', '/api/crons/__pbAutoBackup__')).status, 204);
        // done: a new auto backup is stored, the oldest beyond cronMaxKeep removed, and no backup runs (the run
        // starts after the 204, so the count alone can already be right before it: the third run keeps it at 2)
        await until(`auto backup ${i + 1}`, async () => {
          const now = await autoBackups(t);
          return (
            now.some((k) => !before.includes(k)) &&
            now.length === Math.min(before.length + 1, 2) &&
            !(await busy(t, probe))
          );
        });
        // names carry the second: the next one starts in a later second
        await until('the next second', () => Promise.resolve(Math.floor(Date.now() / 1000) > second));
      }
      assert.equal((await autoBackups(t)).length, 2);
      await t.su.expectOk('PATCH', '/api/settings', { backups: { cron: '' } });
      await until('__pbAutoBackup__ gone', async () => !(await crons(t)).includes('__pbAutoBackup__'));
    },
  },
]);

/**
 * True while a backup runs: creating one named like an existing backup is refused as taken when idle, and
 * with "Try again later" while another runs (so probing never makes a backup).
 */
async function busy(t: ScenarioContext, existing: string): Promise<boolean> {
  const res = await t.su.request('POST', '/api/backups', { name: existing });
  return res.json<{ message: string }>().message.startsWith('Try again later');
}

runScenarios('batch.maxBodySize and trustedProxy', [
  {
    name: 'batch.maxBodySize refuses a larger batch request',
    method: 'POST',
    url: '/api/batch',
    auth: 'superuser',
    before: async (t) => {
      await t.su.expectOk('PATCH', '/api/settings', { batch: { enabled: true, maxBodySize: 2000 } });
    },
    body: { requests: [{ method: 'POST', url: '/api/collections/users/records', body: { x: 'y'.repeat(5000) } }] },
    expectStatus: 413,
    after: async (t) => {
      await t.su.expectOk('PATCH', '/api/settings', { batch: { enabled: false, maxBodySize: 0 } });
    },
  },
  {
    name: 'trustedProxy.headers give the logged userIP',
    method: 'GET',
    url: (t) => `/api/collections/proxy_${t.suffix}/records`,
    headers: { 'X-Real-IP': '203.0.113.7' },
    before: async (t) => {
      await t.su.expectOk('PATCH', '/api/settings', { trustedProxy: { headers: ['X-Real-IP'], useLeftmostIP: false } });
      await proxyApplied(t);
    },
    expectStatus: 404,
    after: async (t) => {
      const filter = encodeURIComponent(`data.url = "/api/collections/proxy_${t.suffix}/records"`);
      let items: { data: { userIP?: string; remoteIP?: string } }[] = [];
      await until('the request logged', async () => {
        items = (await t.su.expectOk<{ items: typeof items }>('GET', `/api/logs?filter=${filter}`)).items;
        return items.length > 0;
      });
      await t.su.expectOk('PATCH', '/api/settings', { trustedProxy: { headers: [] } });
      assert.equal(items[0].data.userIP, '203.0.113.7');
      assert.equal(items[0].data.remoteIP, '127.0.0.1');
    },
  },
]);
