// The route fuzzer: for every route of the route list (libs/testing/src/fuzz/route-list.ts), requests generated
// with fast-check (methods, hostile path params, query params, JSON/form/multipart/garbage bodies, wrong content
// types, odd headers, forged tokens) against a server holding a locked record and a hidden field. Every answer:
// no 5xx but a declared 503 in the envelope, the envelope on every JSON error, nothing the rules hide shown to
// anyone but the superuser; after each route the server still answers, and at the end the locked record is intact.
//
// Inside `npm test` it runs with a fixed seed and a few requests per route; `npm run fuzz` runs longer:
//   NB_FUZZ_RUNS   requests per route (default 10)       NB_FUZZ_SEED   seed (default fixed here)
//   NB_FUZZ_ROUTE  a regular expression: only the routes whose `METHOD /path` matches
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import fc from 'fast-check';

import { externalTarget, ROUTES, RunningServer, startTestServer, TEST_CEILING_MS } from '@lib/testing';

import { describeFailure, problems, send } from './support/fuzz/oracle';
import { withinBounds } from './support/fuzz/bounds';
import { requestsFor } from './support/fuzz/requests';
import { assertWorldIntact, makeWorld, World } from './support/fuzz/world';

const RUNS = Number(process.env.NB_FUZZ_RUNS) || 10;
const SEED = process.env.NB_FUZZ_SEED ? Number(process.env.NB_FUZZ_SEED) : 20251203;
const ONLY = process.env.NB_FUZZ_ROUTE ? new RegExp(process.env.NB_FUZZ_ROUTE) : undefined;
/** A server this file started (not a deployment other files may share): the superuser may write more. */
const OWN_SERVER = externalTarget(process.env) === undefined;
const routes = ROUTES.filter((r) => !ONLY || ONLY.test(`${r.method} ${r.path}`));

let server: RunningServer;
let world: World;
let sent = 0;
/** Answers by status, per route (printed as a diagnostic: what the run reached). */
const statuses = new Map<string, Map<number, number>>();

void describe(
  `route fuzzer (seed ${SEED}, ${RUNS} requests per route)`,
  { timeout: TEST_CEILING_MS * Math.max(1, RUNS / 10) },
  () => {
    before(async () => {
      server = await startTestServer(process.env);
      // Batch on, so that the batch route gets past its switch (the settings are restored by `stop`).
      const res = await fetch(`${server.baseUrl}/api/collections/_superusers/auth-with-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: server.superuserEmail, password: server.superuserPassword }),
      });
      const token = ((await res.json()) as { token: string }).token;
      const on = await fetch(`${server.baseUrl}/api/settings`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: token },
        body: JSON.stringify({ batch: { enabled: true, maxRequests: 10 } }),
      });
      assert.equal(on.status, 200, await on.text());
      world = await makeWorld(server.baseUrl, { email: server.superuserEmail, password: server.superuserPassword });
    });

    after(async () => {
      if (world) {
        await assertWorldIntact(world);
      }
      await server?.stop();
    });

    routes.forEach((route) => {
      void it(`${route.method} ${route.path}`, async () => {
        // The index in the whole list, so that a replay of one route (NB_FUZZ_ROUTE) draws the same requests.
        const seed = SEED + ROUTES.indexOf(route);
        try {
          await fc.assert(
            fc.asyncProperty(
              fc.constant(null).chain(() => requestsFor(route, world)),
              async (generated) => {
                const req = withinBounds(generated, world, OWN_SERVER);
                const answer = await send(server.baseUrl, req, world);
                sent += 1;
                const counts = statuses.get(`${route.method} ${route.path}`) ?? new Map<number, number>();
                counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
                statuses.set(`${route.method} ${route.path}`, counts);
                const found = problems(req, answer, world);
                assert.deepEqual(found, [], describeFailure(req, answer, found));
              },
            ),
            { numRuns: RUNS, seed, endOnFailure: process.env.NB_FUZZ_SHRINK !== '1' },
          );
        } catch (error) {
          const replay = `replay: NB_FUZZ_SEED=${SEED} NB_FUZZ_RUNS=${RUNS} NB_FUZZ_ROUTE='^${route.method} ${route.path}$' npm run fuzz`;
          const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
          throw new Error(`${error instanceof Error ? error.message : String(error)}${cause}\n${replay}`, {
            cause: error,
          });
        }
        const health = await fetch(`${server.baseUrl}/api/health`);
        assert.equal(health.status, 200, `the server stopped answering after ${route.method} ${route.path}`);
      });
    });

    void it('sent every request', (t) => {
      for (const [name, counts] of statuses) {
        const list = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
        t.diagnostic(`${name}: ${list.join(' ')}`);
      }
      assert.equal(sent, routes.length * RUNS);
    });
  },
);
