// The PostgreSQL variant of the distributed set (docker-compose.postgres.yml over docker-compose.yml, started as
// processes by support/service-set.ts on a throwaway PostgreSQL): two replicas each of records, auth and files
// on one database and no shared volume, files in S3 (s3rver for MinIO). The whole HTTP scenario suite and the SDK
// suites run through the gateway (support/suite-runner.ts, as distributed.e2e does on SQLite); a schema change made on one records replica is used at once
// on the other; one records replica is SIGKILLed during file uploads (the other takes them), and during a burst
// of 300 creates: every acknowledged create is stored, every other one got an error status, and the gateway keeps
// answering from the live replica.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, makeCollection, postgresBinDir, text, tokenFor, uniqueSuffix } from '@lib/testing';

import { Call, caller } from './support/restart-checks';
import { ServiceSet, SUPERUSER } from './support/service-set';
import { passSuite } from './support/suite-runner';
import { uploadsThroughKill } from './support/uploads-through-kill';

const BURST = 300;
const BURST_WRITERS = 30;

const skip = postgresBinDir() ? false : 'no PostgreSQL binaries under /usr/lib/postgresql';

void describe(
  'distributed set on PostgreSQL (docker-compose.postgres.yml as processes)',
  { skip, timeout: 40 * 60_000 },
  () => {
    const set = new ServiceSet();
    let http: HttpClient;
    let ok: Call;
    let su: { token: string };

    before(async () => {
      // Six processes on one throwaway PostgreSQL (max_connections 40): 4 connections each, as the pg tier's servers.
      await set.start({ postgres: true, vars: { NB_DB_POOL_MAX: '4' } });
      http = new HttpClient(set.gatewayUrl);
      ok = caller(http);
      su = { token: await tokenFor(http, '_superusers', SUPERUSER.email, SUPERUSER.password) };
      // No shared data dir: backups go to S3, as this deployment must configure them (README "PostgreSQL").
      await ok('PATCH', '/api/settings', { ...su, body: { backups: { s3: set.backupsS3() } } });
    });

    after(async () => {
      await set.stop();
    });

    void it('runs two replicas of records, auth and files, each with its own data dir', () => {
      for (const name of ['records', 'auth', 'files']) {
        const replicas = set.of(name);
        assert.equal(replicas.length, 2, `${name} replicas`);
        assert.match(replicas[0].env.DATABASE_URL, /^postgres:\/\//, `${name} on PostgreSQL`);
        assert.notEqual(replicas[0].env.NB_DIR, replicas[1].env.NB_DIR, `${name}: no shared data dir`);
        assert.ok(replicas[0].env.S3_ENDPOINT, `${name}: files in S3`);
      }
    });

    void it('runs the HTTP scenario suite and the SDK suites through the gateway', async (ctx) => {
      const { files, result } = await passSuite(ctx, set, SUPERUSER);
      assert.ok(files.length >= 40, `only ${files.length} suite files found`);
      assert.ok(result.pass >= 800, `only ${result.pass} tests passed`);
    });

    void it('uses a collection and a field made on one records replica at once on the other', async () => {
      const [a, b] = [new HttpClient(set.url('records', 0)), new HttpClient(set.url('records', 1))];
      const [onA, onB] = [caller(a), caller(b)];
      const name = `pg_fresh_${uniqueSuffix()}`;
      // b has just looked at the schema: what it knows next must come from a's change, not from a due poll.
      await onB('GET', '/api/collections?perPage=1', su);
      const created = await onA<{ id: string; fields: unknown[] }>('POST', '/api/collections', {
        ...su,
        body: makeCollection({ name, fields: [text('a')] }),
      });
      await onB('POST', `/api/collections/${name}/records`, { ...su, body: { a: 'first' } });
      await onA('PATCH', `/api/collections/${created.id}`, {
        ...su,
        body: { fields: [...created.fields, { name: 'b', type: 'text' }] },
      });
      const record = await onB<{ id: string; b: string }>('POST', `/api/collections/${name}/records`, {
        ...su,
        body: { a: 'second', b: 'new field' },
      });
      assert.equal(record.b, 'new field', 'replica b stores the field replica a added');
      await onA('PATCH', `/api/collections/${created.id}`, { ...su, body: { listRule: 'a = "first"' } });
      const list = await new HttpClient(set.url('records', 1)).request('GET', `/api/collections/${name}/records`);
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.json<{ items: { a: string }[] }>().items.map((item) => item.a),
        ['first'],
        'replica b applies the rule replica a set',
      );
    });

    void it('keeps every acknowledged upload whole when a records replica is killed during uploads', async (t) => {
      // the other replica takes every upload meanwhile; replica 0 is started again (support/uploads-through-kill.ts)
      await uploadsThroughKill(t, set, true);
    });

    void it('keeps every acknowledged create when a records replica is killed during a burst', async () => {
      const name = `pg_burst_${uniqueSuffix()}`;
      await ok('POST', '/api/collections', { ...su, body: makeCollection({ name, fields: [text('n')] }) });
      const acknowledged = new Map<string, string>(); // n → id
      const failed = new Map<string, number>(); // n → status
      let afterKill = 0;
      let killed = false;
      let next = 0;
      const writer = async () => {
        while (next < BURST) {
          const n = `w${next++}`;
          const res = await http.request('POST', `/api/collections/${name}/records`, { ...su, body: { n } });
          if (res.status === 200) {
            acknowledged.set(n, res.json<{ id: string }>().id);
            afterKill += killed ? 1 : 0;
          } else {
            failed.set(n, res.status);
          }
        }
      };
      const writers = Array.from({ length: BURST_WRITERS }, () => writer());
      const kill = (async () => {
        while (acknowledged.size < BURST / 3) {
          await new Promise((r) => setTimeout(r, 5));
        }
        killed = true;
        await set.kill('records', 0);
      })();
      await Promise.all([...writers, kill]);
      assert.equal(acknowledged.size + failed.size, BURST, 'every create answered');
      const statuses = [...new Set(failed.values())];
      assert.ok(
        statuses.every((s) => s === 502 || s === 503),
        `a failed create is a 502/503: ${statuses.join(', ')}`,
      );
      // Each writer loses at most the one create it had on the killed replica: the gateway takes a replica out of
      // rotation at its first dropped request, so a writer's next create goes to the live one, not onto another
      // kept-alive connection to the dead one whose close the gateway hasn't read yet (gateway-replica-drop.e2e).
      assert.ok(failed.size <= BURST_WRITERS, `at most the creates in flight at the kill fail: ${failed.size}`);
      assert.ok(afterKill >= BURST / 3, `the live replica took the rest: ${afterKill} acknowledged after the kill`);
      const stored = new Map<string, string>();
      const list = await ok<{ items: { id: string; n: string }[] }>(
        'GET',
        `/api/collections/${name}/records?perPage=${BURST}&fields=id,n`,
        su,
      );
      list.items.forEach((item) => stored.set(item.n, item.id));
      const lost = [...acknowledged].filter(([n, id]) => stored.get(n) !== id);
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged creates lost`);
      assert.ok(stored.size <= BURST, 'no create stored twice');
      // The killed replica comes back on the same database and serves what the burst wrote.
      await set.restart('records', 0);
      const again = new HttpClient(set.url('records', 0));
      const back = await caller(again)<{ totalItems: number }>('GET', `/api/collections/${name}/records?perPage=1`, su);
      assert.equal(back.totalItems, stored.size, 'the restarted replica sees every stored create');
    });
  },
);
