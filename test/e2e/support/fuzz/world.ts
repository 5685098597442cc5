// The data the route fuzzer plays against: an open collection with one field of every type (and a hidden field
// holding HIDDEN), a locked collection whose record holds LOCKED, an auth collection with one member, and the
// tokens requests are sent with. The markers are random per run: no generated request can contain them, so a
// response to anyone but the superuser that does has shown something the rules hide.
import assert from 'node:assert/strict';

import { HttpClient, tokenFor, uniqueSuffix } from '@lib/testing';

import { editClaims, withAlg } from '../token-forge';

export interface World {
  http: HttpClient;
  suToken: string;
  /** Collection names. */
  open: string;
  locked: string;
  members: string;
  view: string;
  /** Record ids: one in each collection. */
  openId: string;
  lockedId: string;
  memberId: string;
  /** The stored names of the open record's files: a text, a PNG and a broken PNG. */
  fileNames: string[];
  /** Ids of the world's collections and of `users` (for relation fields of generated collections). */
  collectionIds: string[];
  /** Field names of the open collection (for bodies, filters and sorts). */
  fields: string[];
  /** Values no answer to a non-superuser may contain. */
  markers: string[];
  tokens: Record<AuthKind, string | undefined>;
}

export type AuthKind = 'guest' | 'member' | 'superuser' | 'algNone' | 'expired' | 'fileToken' | 'garbage';
export const AUTH_KINDS: readonly AuthKind[] = [
  'guest',
  'member',
  'superuser',
  'algNone',
  'expired',
  'fileToken',
  'garbage',
];

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082',
  'hex',
);

const FIELDS = [
  { name: 'title', type: 'text' },
  { name: 'n', type: 'number' },
  { name: 'b', type: 'bool' },
  { name: 'em', type: 'email' },
  { name: 'u', type: 'url' },
  { name: 'ed', type: 'editor' },
  { name: 'd', type: 'date' },
  { name: 'ad', type: 'autodate', onCreate: true, onUpdate: true },
  { name: 's', type: 'select', values: ['a', 'b', 'c'], maxSelect: 2 },
  { name: 'j', type: 'json' },
  { name: 'f', type: 'file', maxSelect: 3, maxSize: 1024 * 1024, thumbs: ['10x10', '0x20', '20x0f'] },
  { name: 'g', type: 'geoPoint' },
  { name: 'hid', type: 'text', hidden: true },
];

async function ok<T>(
  http: HttpClient,
  token: string,
  method: 'POST' | 'PATCH',
  url: string,
  body: unknown,
): Promise<T> {
  const res = await http.request(method, url, { token, body });
  assert.equal(res.status, 200, `fuzz world: ${method} ${url} gave ${res.status}: ${res.text.slice(0, 500)}`);
  return res.json<T>();
}

/** Creates the world on the server at `baseUrl` (names carry a random suffix: several runs may share it). */
export async function makeWorld(baseUrl: string, su: { email: string; password: string }): Promise<World> {
  const http = new HttpClient(baseUrl);
  const suToken = await tokenFor(http, '_superusers', su.email, su.password);
  const s = uniqueSuffix(6);
  const markers = [`LOCKED_${uniqueSuffix(16)}`, `HIDDEN_${uniqueSuffix(16)}`];
  const post = <T>(url: string, body: unknown) => ok<T>(http, suToken, 'POST', url, body);
  const members = await post<{ id: string }>('/api/collections', {
    name: `fz_members_${s}`,
    type: 'auth',
    listRule: 'id = @request.auth.id',
    viewRule: 'id = @request.auth.id',
    updateRule: 'id = @request.auth.id',
    otp: { enabled: true, length: 6, duration: 180 },
    fields: [{ name: 'nick', type: 'text' }],
  });
  const open = await post<{ id: string }>('/api/collections', {
    name: `fz_open_${s}`,
    listRule: '',
    viewRule: '',
    createRule: '',
    // Anyone may change or delete records, but the world's own (its title is "world"): its files stay to be served.
    updateRule: 'title != "world"',
    deleteRule: 'title != "world"',
    fields: [...FIELDS, { name: 'r', type: 'relation', collectionId: members.id, maxSelect: 1 }],
  });
  const locked = await post<{ id: string }>('/api/collections', {
    name: `fz_locked_${s}`,
    fields: [
      { name: 'secret', type: 'text' },
      { name: 'o', type: 'relation', collectionId: open.id, maxSelect: 1 },
    ],
  });
  await post('/api/collections', {
    name: `fz_view_${s}`,
    type: 'view',
    listRule: '',
    viewRule: '',
    viewQuery: `SELECT id, title, n FROM fz_open_${s}`,
  });
  const password = `Fuzz-Passw0rd-${uniqueSuffix(6)}`;
  const email = `fz_${s}@example.com`;
  const member = await post<{ id: string }>(`/api/collections/fz_members_${s}/records`, {
    email,
    password,
    passwordConfirm: password,
  });
  const form = new FormData();
  form.append('title', 'world');
  form.append('hid', markers[1]);
  form.append('r', member.id);
  form.append('f', new Blob(['fuzz file']), 'fuzz.txt');
  form.append('f', new Blob([PNG]), 'pixel.png');
  form.append(
    'f',
    new Blob([Buffer.concat([PNG.subarray(0, 24), Buffer.from('not the rest of a png')])]),
    'broken.png',
  );
  const openRec = await post<{ id: string; f: string[] }>(`/api/collections/fz_open_${s}/records`, form);
  const lockedRec = await post<{ id: string }>(`/api/collections/fz_locked_${s}/records`, {
    secret: markers[0],
    o: openRec.id,
  });
  const memberToken = await tokenFor(http, `fz_members_${s}`, email, password);
  const fileToken = (await ok<{ token: string }>(http, memberToken, 'POST', '/api/files/token', {})).token;
  return {
    http,
    suToken,
    open: `fz_open_${s}`,
    locked: `fz_locked_${s}`,
    members: `fz_members_${s}`,
    view: `fz_view_${s}`,
    openId: openRec.id,
    lockedId: lockedRec.id,
    memberId: member.id,
    fileNames: openRec.f,
    collectionIds: [members.id, open.id, locked.id, '_pb_users_auth_'],
    fields: [...FIELDS.map((f) => f.name), 'r'],
    markers,
    tokens: {
      guest: undefined,
      member: memberToken,
      superuser: suToken,
      algNone: withAlg(suToken, 'none'),
      expired: editClaims(memberToken, { exp: 1 }),
      fileToken,
      garbage: `${uniqueSuffix(20)}.${uniqueSuffix(30)}.${uniqueSuffix(10)}`,
    },
  };
}

/** What must still hold after the run: the locked record untouched, the server answering. */
export async function assertWorldIntact(world: World): Promise<void> {
  const health = await world.http.request('GET', '/api/health');
  assert.equal(health.status, 200, `the server stopped answering: ${health.status} ${health.text.slice(0, 300)}`);
  const suToken = world.tokens.superuser;
  const locked = await world.http.request('GET', `/api/collections/${world.locked}/records/${world.lockedId}`, {
    token: suToken,
  });
  assert.equal(locked.status, 200, locked.text.slice(0, 300));
  assert.equal(locked.json<{ secret: string }>().secret, world.markers[0], 'the locked record changed');
}
