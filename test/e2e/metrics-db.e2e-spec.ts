// GET /metrics of the database and the job queue, on whichever database the server runs: on PostgreSQL (the
// runner's `pg` tier: `node scripts/run-tests.js pg metrics-db`) the pool's `nb_db_pool_*` gauges follow the
// `pg` pool (connections, idle, waiting); on SQLite they are absent. Either way `nb_jobs_queued` reports every
// queue nestbase has (`mail.send`, `files.delete`) from the start, at 0, not only the ones the process used.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, RunningServer, spawnServer, TEST_CEILING_MS } from '@lib/testing';

import { metricsText, sampleSum } from './support/metrics-scrape';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const onPostgres = Boolean(process.env.NB_TEST_POSTGRES_URL);
const POOL = ['nb_db_pool_connections', 'nb_db_pool_idle', 'nb_db_pool_waiting'];

/** The value of an unlabelled sample, or undefined when the family isn't there. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

void describe(`GET /metrics: database pool and job queues (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let server: RunningServer;

  before(async () => {
    server = await spawnServer();
  }, TIMEOUT);

  after(async () => {
    await server?.stop();
  });

  void it('reports every known job queue at 0 before any job was queued', TIMEOUT, async () => {
    const text = await metricsText(server.baseUrl);
    for (const job of ['mail.send', 'files.delete']) {
      assert.match(text, new RegExp(`^nb_jobs_queued\\{job="${job.replace('.', '\\.')}"\\} 0$`, 'm'), text);
    }
    assert.doesNotMatch(text, /nb_jobs_queued\{job="nestbase\.probe"\}/);
  });

  void it(
    onPostgres ? 'follows the PostgreSQL pool: connections, idle, waiting' : 'has no pool gauges on SQLite',
    TIMEOUT,
    async () => {
      const http = new HttpClient(server.baseUrl);
      // queries at once (each looks the identity up), so the pool has connections open at the scrape
      const logins = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          http.request('POST', '/api/collections/_superusers/auth-with-password', {
            body: { identity: `nobody-${i}@example.com`, password: 'Not-The-Passw0rd' },
          }),
        ),
      );
      logins.forEach((res) => assert.equal(res.status, 400, res.text));
      const text = await metricsText(server.baseUrl);
      if (!onPostgres) {
        for (const name of POOL) {
          assert.equal(sample(text, name), undefined, `${name} on SQLite`);
          assert.doesNotMatch(text, new RegExp(`^# TYPE ${name} `, 'm'));
        }
        return;
      }
      const [open, idle, waiting] = POOL.map((name) => sample(text, name));
      const max = Number(process.env.NB_DB_POOL_MAX ?? 10);
      assert.ok(open !== undefined && open >= 1 && open <= max, `connections ${open} (max ${max})\n${text}`);
      assert.ok(idle !== undefined && idle >= 0 && idle <= open, `idle ${idle} of ${open}`);
      assert.equal(waiting, 0, 'nothing waits for a connection at rest');
      assert.equal(sampleSum(text, 'nb_db_pool_connections'), open);
    },
  );
});
