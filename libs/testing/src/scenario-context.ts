// The `t` every scenario receives: request helpers, a superuser client for setup and
// database-state checks, and factories that give each scenario its own collections and users.
import assert from 'node:assert/strict';

import {
  CollectionDef,
  CollectionJson,
  DEFAULT_PASSWORD,
  ListJson,
  makeUserInput,
  RecordJson,
  tokenFor,
  uniqueSuffix,
} from './factories';
import { ApiResponse, HttpClient, HttpMethod, RequestOptions } from './http-client';

/** Fails on any 5xx: no request a scenario makes may crash the server. */
export function assertNot5xx(method: string, url: string, res: ApiResponse): void {
  assert.ok(
    res.status < 500,
    `${method} ${url} answered ${res.status} (must never be 5xx): ${res.text.slice(0, 1000)}`,
  );
}

export class SuperuserClient {
  constructor(
    private readonly http: HttpClient,
    readonly token: string,
  ) {}

  async request(method: HttpMethod, url: string, body?: unknown): Promise<ApiResponse> {
    const res = await this.http.request(method, url, { body, token: this.token });
    assertNot5xx(method, url, res);
    return res;
  }

  get(url: string): Promise<ApiResponse> {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown): Promise<ApiResponse> {
    return this.request('POST', url, body);
  }
  patch(url: string, body?: unknown): Promise<ApiResponse> {
    return this.request('PATCH', url, body);
  }
  delete(url: string): Promise<ApiResponse> {
    return this.request('DELETE', url);
  }

  /** POST and require 200; returns the parsed body. */
  async expectOk<T>(method: HttpMethod, url: string, body?: unknown): Promise<T> {
    const res = await this.request(method, url, body);
    assert.equal(res.status, 200, `setup ${method} ${url} failed with ${res.status}: ${res.text.slice(0, 1000)}`);
    return res.json<T>();
  }
}

export interface TestUser {
  record: RecordJson;
  token: string;
  email: string;
  password: string;
  collection: string;
}

export class ScenarioContext {
  /** Free-form values created in `before` (ids, names) for url/body templates. */
  readonly vars: Record<string, string> = {};
  /** Any other value a `before` wants to hand to the body/url/after of the same scenario. */
  data: unknown = undefined;
  /** Collections created by this scenario, by logical name. */
  readonly collections: Record<string, CollectionJson> = {};
  /** Users created by this scenario, by label. */
  readonly users: Record<string, TestUser> = {};
  /** Token used for the scenario request when the row has no `auth` (set with `t.auth`). */
  token: string | undefined;
  readonly su: SuperuserClient;
  readonly suffix = uniqueSuffix(6);

  constructor(
    readonly http: HttpClient,
    superuserToken: string,
    private readonly clock?: (ms: number) => Promise<void>,
  ) {
    this.su = new SuperuserClient(http, superuserToken);
  }

  /**
   * Moves the server's clock forward by `ms` instead of waiting for an expiry (tokens, OTPs, MFA sessions,
   * in-memory rate-limit windows). Other files sharing a deployment see it too: such files run alone there.
   */
  advanceClock(ms: number): Promise<void> {
    if (!this.clock) {
      return Promise.reject(new Error('this ScenarioContext has no server clock to move'));
    }
    return this.clock(ms);
  }

  async request(method: HttpMethod, url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const res = await this.http.request(method, url, options);
    assertNot5xx(method, url, res);
    return res;
  }

  /** Use this user (or raw token) for the scenario request. */
  auth(user: TestUser | string): void {
    this.token = typeof user === 'string' ? user : user.token;
  }

  /** Real name of a collection this scenario created (falls back to the argument itself). */
  col(key: string): string {
    return this.collections[key]?.name ?? key;
  }

  id(key: string): string {
    const collection = this.collections[key];
    assert.ok(collection, `no collection "${key}" was created in this scenario`);
    return collection.id;
  }

  /** `/api/collections/<name>/records[/<id>][<query>]` */
  records(key: string, id?: string, query = ''): string {
    return `/api/collections/${this.col(key)}/records${id ? `/${id}` : ''}${query}`;
  }

  /** Creates a collection whose name is the logical name plus a unique suffix. */
  async createCollection(def: CollectionDef): Promise<CollectionJson> {
    const key = def.name ?? 'col';
    const created = await this.su.expectOk<CollectionJson>('POST', '/api/collections', {
      ...def,
      name: `${key}_${this.suffix}`,
    });
    this.collections[key] = created;
    return created;
  }

  /** Creates a record as superuser (bypassing rules) and requires 200. */
  createRecord(key: string, body: Record<string, unknown>): Promise<RecordJson> {
    return this.su.expectOk<RecordJson>('POST', this.records(key), body);
  }

  /** Lists records as superuser (requires 200). */
  listRecords(key: string, query = '?perPage=1000'): Promise<ListJson> {
    return this.su.expectOk<ListJson>('GET', this.records(key, undefined, query));
  }

  /** Fetches one record as superuser; undefined when it answers 404. */
  async findRecord(key: string, id: string): Promise<RecordJson | undefined> {
    const res = await this.su.get(this.records(key, id));
    if (res.status === 404) {
      return undefined;
    }
    assert.equal(res.status, 200, `view ${key}/${id}: ${res.status} ${res.text.slice(0, 500)}`);
    return res.json<RecordJson>();
  }

  async countRecords(key: string, filter?: string): Promise<number> {
    const q = `?perPage=1${filter ? `&filter=${encodeURIComponent(filter)}` : ''}`;
    return (await this.listRecords(key, q)).totalItems;
  }

  /**
   * Registers a user (through the public create endpoint for `users`, as superuser for other
   * auth collections) and logs it in. `label` keeps it in `t.users`.
   */
  async makeUser(overrides: Record<string, unknown> = {}, collection = 'users', label?: string): Promise<TestUser> {
    const input = makeUserInput(overrides);
    const name = this.col(collection);
    const path = `/api/collections/${name}/records`;
    const res =
      name === 'users' && overrides.verified === undefined
        ? await this.request('POST', path, { body: input })
        : await this.su.request('POST', path, input);
    assert.equal(res.status, 200, `makeUser in ${name} failed with ${res.status}: ${res.text.slice(0, 1000)}`);
    const password = typeof input.password === 'string' ? input.password : DEFAULT_PASSWORD;
    const emailAddress = String(input.email);
    const token = await tokenFor(this.http, name, emailAddress, password);
    const user: TestUser = { record: res.json<RecordJson>(), token, email: emailAddress, password, collection: name };
    if (label) {
      this.users[label] = user;
    }
    return user;
  }

  /**
   * Enables batch requests (settings are global; every batch scenario sets what it needs), with a 30 s timeout: the
   * default 3 s counts from the batch's start, and on the PostgreSQL set under a load average of 15 a batch's first
   * item once took longer ("Batch transaction timed out" instead of the answer the scenario checks).
   */
  async setBatch(enabled: boolean, maxRequests = 50): Promise<void> {
    await this.su.expectOk('PATCH', '/api/settings', { batch: { enabled, maxRequests, timeout: 30 } });
  }
}
