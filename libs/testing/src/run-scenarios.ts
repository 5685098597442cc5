// Scenario runner for node's built-in test runner (node:test).
//
// Target selection (environment):
//   NB_TEST_BASE_URL            run against an already-running server, e.g. http://127.0.0.1:8090
//                               (nothing is started; the data there is left behind)
//   NB_TEST_SUPERUSER_EMAIL     superuser used for setup and state checks (required with the URL)
//   NB_TEST_SUPERUSER_PASSWORD
// Without NB_TEST_BASE_URL each test file starts its own `node bin/nestbase.js serve` on a free
// port with a fresh temporary data dir (PB_ADMIN_EMAIL/PB_ADMIN_PASSWORD create the superuser)
// and stops it with SIGTERM when the file's suites are done.
//
// Run: npm run build && node -r ./scripts/paths.js --test dist/test/e2e/<file>.e2e-spec.js
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { TEST_CEILING_MS } from './ceilings';
import { compareEvents, EventObserver, ExpectedEvents } from './event-observer';
import { tokenFor } from './factories';
import { ApiResponse, HttpClient, HttpMethod } from './http-client';
import { Matcher, matchPartial } from './matchers';
import { assertNot5xx, ScenarioContext } from './scenario-context';
import { RunningServer, startTestServer } from './test-server';

export type Resolvable<T> = T | ((t: ScenarioContext) => T);

/** What `expectBody` accepts: JSON-like values with matchers anywhere. */
export type Expected =
  string | number | boolean | null | Matcher | Expected[] | { [key: string]: Expected | undefined };

/** A JSON-like request body (`undefined` members are dropped by JSON.stringify). */
export type JsonBody = string | number | boolean | null | unknown[] | { [key: string]: unknown };

/** What `body` accepts: JSON-like data, a raw string, or FormData/bytes. */
export type RequestBody = JsonBody | FormData | URLSearchParams | Uint8Array;

export interface Scenario {
  name: string;
  method: HttpMethod;
  url: Resolvable<string>;
  headers?: Resolvable<Record<string, string>>;
  /** Send `url` exactly as written (`/../` kept), see RequestOptions.verbatim. */
  verbatim?: boolean;
  /** object → JSON; string → raw (content-type from headers, default application/json); FormData as is. */
  body?: Resolvable<RequestBody>;
  /** 'superuser', 'guest' (no token), or a function giving a token. Default: `t.token` if set, else guest. */
  auth?: 'superuser' | 'guest' | ((t: ScenarioContext) => Promise<string>);
  before?: (t: ScenarioContext) => Promise<void>;
  expectStatus: number;
  /** Partial structural match (see matchers.ts); may be a function of `t`. */
  expectBody?: Resolvable<Expected>;
  expectContains?: Resolvable<string[]>;
  expectNotContains?: Resolvable<string[]>;
  /**
   * The record events the request must emit, counted by a superuser realtime client (event-observer.ts):
   * `{ 'record.created': 1, '*': 0 }` = one create and nothing else. Counted on the topics of `watch`.
   */
  expectEvents?: ExpectedEvents;
  /**
   * Realtime topics `expectEvents` counts on (`name/*`, `name/id`) besides `<name>/*` of every collection the
   * scenario created. Name records of shared collections (`users/<id>`), never `users/*`: files running
   * beside this one against a shared deployment write there too.
   */
  watch?: Resolvable<string[]>;
  /** State checks through the HTTP API (use `t.su`, `t.listRecords`, ...). */
  after?: (t: ScenarioContext, res: ApiResponse) => Promise<void>;
}

interface SharedServer {
  server: RunningServer;
  http: HttpClient;
  superuserToken: string;
  /** Opened by the first scenario with `expectEvents`. */
  observer?: Promise<EventObserver>;
}

let shared: Promise<SharedServer> | undefined;
let registeredSuites = 0;

async function acquire(): Promise<SharedServer> {
  shared ??= (async () => {
    const server = await startTestServer(process.env);
    const http = new HttpClient(server.baseUrl);
    const superuserToken = await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword);
    return { server, http, superuserToken };
  })();
  return shared;
}

async function release(): Promise<void> {
  registeredSuites -= 1;
  if (registeredSuites > 0 || !shared) {
    return;
  }
  const current = shared;
  shared = undefined;
  const env = await current.catch(() => undefined);
  (await env?.observer?.catch(() => undefined))?.close();
  await env?.server.stop();
}

function resolve<T>(value: Resolvable<T> | undefined, t: ScenarioContext): T | undefined {
  return typeof value === 'function' ? (value as (t: ScenarioContext) => T)(t) : value;
}

async function tokenOf(scenario: Scenario, t: ScenarioContext): Promise<string | undefined> {
  if (scenario.auth === 'superuser') {
    return t.su.token;
  }
  if (scenario.auth === 'guest') {
    return undefined;
  }
  if (typeof scenario.auth === 'function') {
    return scenario.auth(t);
  }
  return t.token;
}

async function runOne(scenario: Scenario, env: SharedServer): Promise<void> {
  const t = new ScenarioContext(env.http, env.superuserToken, (ms) => env.server.advanceClock(ms));
  if (scenario.before) {
    await scenario.before(t);
  }
  const url = resolve(scenario.url, t) ?? '';
  const token = await tokenOf(scenario, t);
  const observer = scenario.expectEvents ? await observe(scenario, t, env) : undefined;
  const res = await env.http.request(scenario.method, url, {
    body: resolve(scenario.body, t),
    headers: resolve(scenario.headers, t),
    token,
    verbatim: scenario.verbatim,
  });
  const where = `${scenario.method} ${url}`;
  assertNot5xx(scenario.method, url, res);
  assert.equal(
    res.status,
    scenario.expectStatus,
    `${where}: expected status ${scenario.expectStatus}, got ${res.status}: ${res.text.slice(0, 1500)}`,
  );

  const expectedBody = resolve(scenario.expectBody, t);
  if (expectedBody !== undefined) {
    const mismatches = matchPartial(res.body, expectedBody);
    assert.ok(
      mismatches.length === 0,
      `${where}: body mismatch\n  ${mismatches.join('\n  ')}\nbody: ${res.text.slice(0, 1500)}`,
    );
  }
  for (const fragment of resolve(scenario.expectContains, t) ?? []) {
    assert.ok(
      res.text.includes(fragment),
      `${where}: body should contain ${JSON.stringify(fragment)}: ${res.text.slice(0, 1500)}`,
    );
  }
  for (const fragment of resolve(scenario.expectNotContains, t) ?? []) {
    assert.ok(
      !res.text.includes(fragment),
      `${where}: body must not contain ${JSON.stringify(fragment)}: ${res.text.slice(0, 1500)}`,
    );
  }
  if (observer && scenario.expectEvents) {
    const mismatches = compareEvents(await observer.settle(), scenario.expectEvents);
    assert.ok(mismatches.length === 0, `${where}: events\n  ${mismatches.join('\n  ')}`);
  }
  if (scenario.after) {
    await scenario.after(t, res);
  }
}

/** Subscribes the file's observer to the scenario's topics and drains what `before` caused. */
async function observe(scenario: Scenario, t: ScenarioContext, env: SharedServer): Promise<EventObserver> {
  env.observer ??= EventObserver.open(env.http, env.superuserToken);
  const observer = await env.observer;
  const topics = [...Object.values(t.collections).map((c) => `${c.name}/*`), ...(resolve(scenario.watch, t) ?? [])];
  await observer.watch(topics);
  await observer.settle();
  return observer;
}

/** Registers one `describe` with an `it` per scenario; the server is shared by the whole file. */
export function runScenarios(title: string, scenarios: Scenario[]): void {
  registeredSuites += 1;
  void describe(title, () => {
    let env: SharedServer | undefined;
    before(async () => {
      env = await acquire();
    });
    after(async () => {
      await release();
    });
    for (const scenario of scenarios) {
      void it(scenario.name, { timeout: TEST_CEILING_MS }, async () => {
        assert.ok(env, 'server not started');
        const current = env;
        await runOne(scenario, current).catch((err: unknown) => {
          const crash = current.server.crashReport();
          if (crash && err instanceof Error) {
            err.message = `${err.message}\n${crash}`;
          }
          throw err;
        });
      });
    }
  });
}
