// What a restart of the records service could break, set up before it and checked after it: the data written
// before (records, a relation between them, a filtered list), the tokens issued before (a user's and the
// superuser's), a realtime subscription opened before (still fed, still filtered by its rule), and the schema
// (collections created before are known; a field added after reaches auth, realtime and files at once).
import assert from 'node:assert/strict';

import PocketBase from 'pocketbase';

import {
  file,
  HttpClient,
  HttpMethod,
  makeCollection,
  OWNER_RULES,
  relation,
  RequestOptions,
  text,
  tokenFor,
  uniqueEmail,
  uniqueSuffix,
} from '@lib/testing';

import { RealtimeMessage, waitUntil } from '../../e2e/support/realtime-helpers';

/** A hang catcher for waits on events that arrive within milliseconds on a quiet machine. */
export const EVENT_CEILING_MS = 60_000;

export type Call = <T>(method: HttpMethod, url: string, options?: RequestOptions) => Promise<T>;

/** A client that asserts 200/204 and returns the JSON body. */
export function caller(http: HttpClient): Call {
  return async <T>(method: HttpMethod, url: string, options: RequestOptions = {}): Promise<T> => {
    const res = await http.request(method, url, options);
    assert.ok(res.status === 200 || res.status === 204, `${method} ${url}: ${res.status} ${res.text.slice(0, 800)}`);
    return res.json<T>();
  };
}

interface Person {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface RestartState {
  name: string;
  collectionId: string;
  users: [Person, Person];
  /** Records of users[0], by title. */
  owned: Map<string, string>;
  /** What users[0]'s subscription (opened before the restart) received. */
  events: RealtimeMessage[];
  pb: PocketBase;
}

const PASSWORD = 'Restart-Passw0rd';

/** Before the restart: an owner-ruled collection with a relation, two users, records, a subscription. */
export async function prepareRestartState(gatewayUrl: string, suToken: string): Promise<RestartState> {
  const http = new HttpClient(gatewayUrl);
  const call = caller(http);
  const su = { token: suToken };
  const name = `dist_restart_${uniqueSuffix()}`;
  const users = (await Promise.all(
    [0, 1].map(async () => {
      const email = uniqueEmail('restart');
      const body = { email, password: PASSWORD, passwordConfirm: PASSWORD };
      const { id } = await call<{ id: string }>('POST', '/api/collections/users/records', { body });
      return { id, email, password: PASSWORD, token: await tokenFor(http, 'users', email, PASSWORD) };
    }),
  )) as [Person, Person];
  const fields = [text('title'), relation('owner', '_pb_users_auth_', { maxSelect: 1 })];
  const made = await call<{ id: string }>('POST', '/api/collections', {
    ...su,
    body: makeCollection({ name, fields, ...OWNER_RULES, createRule: '' }),
  });
  const owned = new Map<string, string>();
  for (const [owner, title] of [
    [0, 'alpha'],
    [0, 'beta'],
    [1, 'other'],
  ] as const) {
    const rec = await call<{ id: string }>('POST', `/api/collections/${name}/records`, {
      ...su,
      body: { title, owner: users[owner].id },
    });
    if (owner === 0) {
      owned.set(title, rec.id);
    }
  }
  const pb = new PocketBase(gatewayUrl);
  pb.autoCancellation(false);
  await pb.collection('users').authWithPassword(users[0].email, PASSWORD);
  const events: RealtimeMessage[] = [];
  await pb.collection(name).subscribe('*', (e) => events.push({ action: e.action, record: e.record }));
  return { name, collectionId: made.id, users, owned, events, pb };
}

/** After the restart: every part of `state` still works through the gateway. */
export async function checkAfterRestart(gatewayUrl: string, suToken: string, state: RestartState): Promise<void> {
  const http = new HttpClient(gatewayUrl);
  const call = caller(http);
  const [alice, bob] = state.users;
  const as = (p: Person) => ({ token: p.token });
  const records = `/api/collections/${state.name}/records`;

  // Data and tokens: alice's token from before lists exactly her records; the filter and the superuser too.
  const mine = await call<{ items: { id: string; title: string }[] }>('GET', `${records}?sort=title`, as(alice));
  assert.deepEqual(
    mine.items.map((r) => r.title),
    ['alpha', 'beta'],
  );
  const filtered = await call<{ items: { id: string }[] }>(
    'GET',
    `${records}?filter=${encodeURIComponent("title = 'beta'")}`,
    as(alice),
  );
  assert.deepEqual(
    filtered.items.map((r) => r.id),
    [state.owned.get('beta')],
  );
  const all = await call<{ totalItems: number }>('GET', `${records}?skipTotal=0`, { token: suToken });
  assert.equal(all.totalItems, 3);
  const refreshed = await call<{ token: string }>('POST', '/api/collections/users/auth-refresh', as(alice));
  assert.ok(refreshed.token, 'the auth service refreshes a token issued before the restart');

  // Subscriptions: the stream opened before gets alice's new record (created through the restarted records
  // service) and never bob's, which was created first.
  const bobs = await call<{ id: string }>('POST', records, { ...as(bob), body: { title: 'bob-after', owner: bob.id } });
  const hers = await call<{ id: string }>('POST', records, { ...as(alice), body: { title: 'after', owner: alice.id } });
  await waitUntil(
    () => state.events.some((e) => e.record.id === hers.id),
    'the create event on the subscription opened before the restart',
    EVENT_CEILING_MS,
  );
  assert.ok(!state.events.some((e) => e.record.id === bobs.id), "another user's record was delivered");

  // Schema: a file field added through the restarted records service is served by auth, realtime and files.
  const current = await call<{ fields: unknown[] }>('GET', `/api/collections/${state.collectionId}`, {
    token: suToken,
  });
  await call('PATCH', `/api/collections/${state.collectionId}`, {
    token: suToken,
    body: { fields: [...current.fields, text('mood'), file('doc', { maxSelect: 1, maxSize: 1_000_000 })] },
  });
  const form = new FormData();
  form.append('title', 'with file');
  form.append('owner', alice.id);
  form.append('mood', 'calm');
  form.append('doc', new Blob(['restart check'], { type: 'text/plain' }), 'note.txt');
  const withFile = await call<{ id: string; doc: string; mood: string }>('POST', records, { ...as(alice), body: form });
  assert.equal(withFile.mood, 'calm');
  await waitUntil(
    () => state.events.some((e) => e.record.id === withFile.id && e.record.mood === 'calm'),
    'the realtime event carrying the new field',
    EVENT_CEILING_MS,
  );
  const download = await http.request('GET', `/api/files/${state.collectionId}/${withFile.id}/${withFile.doc}`);
  assert.equal(download.status, 200, `the files service serves the new field: ${download.text.slice(0, 300)}`);
  assert.equal(download.text, 'restart check');
  const again = await new PocketBase(gatewayUrl).collection('users').authWithPassword(alice.email, alice.password);
  assert.equal(again.record.id, alice.id, 'the auth service signs in after the restart');
  await state.pb.realtime.unsubscribe();
}
