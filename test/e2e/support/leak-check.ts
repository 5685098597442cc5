// The security sweep's world and checker: an auth collection with open list/view rules, users with
// hidden emails, a related `posts` collection, and an assertion that a response body holds no
// password, tokenKey, bcrypt hash, known plaintext password or someone else's hidden email.
import assert from 'node:assert/strict';

import { ApiResponse, DEFAULT_PASSWORD, relation, ScenarioContext, text, tokenFor, uniqueEmail } from '@lib/testing';

export interface Person {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface World {
  /** Real name of the auth collection. */
  accounts: string;
  alice: Person;
  bob: Person;
  postId: string;
}

export type Viewer = 'owner' | 'other' | 'guest' | 'superuser';
export const VIEWERS: Viewer[] = ['owner', 'other', 'guest', 'superuser'];

const SECRET_KEYS = new Set(['password', 'passwordConfirm', 'oldPassword', 'tokenKey']);
const HASH_RE = /\$2[aby]\$\d\d\$/;

/** A person in `key` made by the superuser with a hidden email, logged in. */
export async function person(t: ScenarioContext, key: string, extra: Record<string, unknown> = {}): Promise<Person> {
  const email = uniqueEmail('sweep');
  const password = `${DEFAULT_PASSWORD}-${Math.random().toString(36).slice(2, 8)}`;
  const record = await t.createRecord(key, {
    email,
    password,
    passwordConfirm: password,
    emailVisibility: false,
    ...extra,
  });
  return { id: record.id, email, password, token: await tokenFor(t.http, t.col(key), email, password) };
}

/** `accounts` (auth, open list/view, public create, owner update, OTP on) with alice and bob; alice's post. */
export async function world(t: ScenarioContext, options: Record<string, unknown> = {}): Promise<World> {
  const accounts = await t.createCollection({
    name: 'accounts',
    type: 'auth',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: 'id = @request.auth.id',
    deleteRule: null,
    fields: [text('name')],
    otp: { enabled: true, length: 6, duration: 180 },
    ...options,
  });
  await t.createCollection({
    name: 'posts',
    listRule: '',
    viewRule: '',
    createRule: '@request.auth.id != ""',
    fields: [text('title'), relation('author', accounts.id)],
  });
  const alice = await person(t, 'accounts');
  const bob = await person(t, 'accounts');
  const post = await t.createRecord('posts', { title: 'hello', author: alice.id });
  return { accounts: accounts.name, alice, bob, postId: post.id };
}

export function tokenOf(t: ScenarioContext, w: World, viewer: Viewer): string | undefined {
  switch (viewer) {
    case 'owner':
      return w.alice.token;
    case 'other':
      return w.bob.token;
    case 'guest':
      return undefined;
    case 'superuser':
      return t.su.token;
  }
}

function secretKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => secretKeys(v, `${path}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      SECRET_KEYS.has(k) && (typeof v !== 'object' || v === null) ? [`${path}.${k}`] : secretKeys(v, `${path}.${k}`),
    );
  }
  return [];
}

/**
 * Fails when `res` holds a secret: a password/tokenKey member, a bcrypt hash, one of `passwords`, or
 * (for `viewer` other than the owner and the superuser) one of the `hidden` emails.
 */
export function assertNoLeak(
  where: string,
  res: ApiResponse,
  viewer: Viewer,
  secrets: { passwords: string[]; hidden: string[] },
): void {
  const text = res.text;
  assert.ok(res.status < 500, `${where}: ${res.status} ${text.slice(0, 300)}`);
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  assert.deepEqual(secretKeys(body), [], `${where} (${viewer}) returned secret members: ${text.slice(0, 800)}`);
  assert.ok(!HASH_RE.test(text), `${where} (${viewer}) returned a bcrypt hash: ${text.slice(0, 800)}`);
  for (const password of secrets.passwords) {
    assert.ok(!text.includes(password), `${where} (${viewer}) returned a plaintext password`);
  }
  if (viewer === 'other' || viewer === 'guest') {
    for (const email of secrets.hidden) {
      assert.ok(
        !text.toLowerCase().includes(email.toLowerCase()),
        `${where} (${viewer}) showed ${email}: ${text.slice(0, 800)}`,
      );
    }
  }
}

/** Sends `method url` as every viewer and checks each answer with `assertNoLeak`. */
export async function sweep(
  t: ScenarioContext,
  w: World,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
  viewers: Viewer[] = VIEWERS,
): Promise<ApiResponse[]> {
  const answers: ApiResponse[] = [];
  for (const viewer of viewers) {
    const res = await t.http.request(method, url, { token: tokenOf(t, w, viewer), body: body as never });
    assertNoLeak(`${method} ${url}`, res, viewer, secretsOf(w));
    answers.push(res);
  }
  return answers;
}

export function secretsOf(w: World): { passwords: string[]; hidden: string[] } {
  return { passwords: [w.alice.password, w.bob.password], hidden: [w.alice.email] };
}
