// The checks of support/jsvm-split-files.ts's hooks, through the HTTP API of a server that loaded that file:
// standalone (hooks-jsvm-split.e2e-spec.ts) or the distributed set's gateway (test/distributed/hooks.e2e-spec.ts).
import assert from 'node:assert/strict';

import WebSocket from 'ws';

import {
  DEFAULT_PASSWORD,
  file,
  HttpClient,
  makeUserInput,
  OPEN_RULES,
  text,
  tokenFor,
  uniqueEmail,
} from '@lib/testing';

import { makeImage } from './images';
import { HK_FILES, HK_RT } from './jsvm-split-files';
import { RawSse, waitUntil } from './realtime-helpers';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export class SplitHookChecks {
  private readonly http: HttpClient;

  constructor(
    private readonly baseUrl: string,
    private readonly su: string,
  ) {
    this.http = new HttpClient(baseUrl);
  }

  private call(method: Method, url: string, body?: unknown, token = this.su) {
    return this.http.request(method, url, { body, token });
  }

  /** The collections the hooks act on (once per server). */
  async setUp(): Promise<void> {
    const hidden = { hidden: true };
    for (const body of [
      { name: HK_RT, ...OPEN_RULES, fields: [text('title'), text('secret'), text('internal', hidden)] },
      {
        name: HK_FILES,
        ...OPEN_RULES,
        fields: [file('doc', { maxSelect: 1 }), file('other', { maxSelect: 1 }), text('title')],
      },
    ]) {
      const res = await this.call('POST', '/api/collections', body);
      assert.equal(res.status, 200, res.text);
    }
  }

  /** onRealtimeConnectRequest: refused with the handler's error (and the client id it was given); idle timeout set. */
  async realtimeConnect(): Promise<void> {
    const refused = await fetch(`${this.baseUrl}/api/realtime?refuse=me`);
    assert.equal(refused.status, 403);
    const body = (await refused.json()) as { message: string };
    assert.equal(body.message, 'No stream for me (40).');
    const short = await fetch(`${this.baseUrl}/api/realtime?idle=1`);
    assert.equal(short.status, 200);
    // the stream ends by itself once idle for the hook's 300 ms (the default is 5 minutes)
    await short.text();
    const normal = await RawSse.open(this.baseUrl);
    try {
      assert.equal(normal.frames[0].event, 'PB_CONNECT');
    } finally {
      normal.close();
    }
  }

  /**
   * onRealtimeMessageSend changes a record message for its client (SSE and WebSocket), drops another; onRecordEnrich shapes the record
   * JSON of the API answer and of the realtime message alike.
   */
  async realtimeMessagesAndEnrich(): Promise<void> {
    const sse = await RawSse.open(this.baseUrl);
    const ws = await this.openWs(`${HK_RT}/*`);
    try {
      const sub = await this.call(
        'POST',
        '/api/realtime',
        { clientId: sse.clientId, subscriptions: [`${HK_RT}/*`] },
        '',
      );
      assert.equal(sub.status, 204, sub.text);
      const created: string[] = [];
      for (const title of ['keep one', 'drop', 'keep two']) {
        // made by the superuser (a hidden field is set by superusers only), read back as a guest
        const res = await this.call('POST', `/api/collections/${HK_RT}/records`, { title, secret: 's', internal: 'i' });
        assert.equal(res.status, 200, res.text);
        const id = res.json<{ id: string }>().id;
        const record = (await this.call('GET', `/api/collections/${HK_RT}/records/${id}`, undefined, '')).json<
          Record<string, unknown>
        >();
        assert.equal(record.shout, title.toUpperCase(), 'enriched answer');
        assert.equal(record.internal, 'i', 'a hidden field unhidden');
        assert.ok(!('secret' in record), 'a field hidden');
        created.push(id);
      }
      const records = () =>
        sse.frames
          .filter((f) => f.event === `${HK_RT}/*`)
          .map((f) => (f.data as { record: Record<string, unknown> }).record);
      await waitUntil(() => records().some((r) => r.id === created[2]), 'the last realtime message');
      assert.deepEqual(
        records().map((r) => [r.id, r.title, r.via, r.shout, r.internal, 'secret' in r]),
        [
          [created[0], 'keep one', `hook for ${sse.clientId}`, 'KEEP ONE', 'i', false],
          [created[2], 'keep two', `hook for ${sse.clientId}`, 'KEEP TWO', 'i', false],
        ],
      );
      // the same hook for a WebSocket client: its frames changed and dropped alike, with their topic
      await waitUntil(() => ws.frames.some((f) => f.record.id === created[2]), 'the last WebSocket message');
      assert.deepEqual(
        ws.frames.map((f) => [f.record.id, f.record.via, f.record.shout, f.topic, f.action]),
        [
          [created[0], `hook for ${ws.clientId}`, 'KEEP ONE', `${HK_RT}/*`, 'create'],
          [created[2], `hook for ${ws.clientId}`, 'KEEP TWO', `${HK_RT}/*`, 'create'],
        ],
      );
      const plain = await this.call('POST', `/api/collections/${HK_RT}/records`, { title: 'plain', secret: 's' }, '');
      assert.equal(plain.status, 200, plain.text);
      assert.ok(!('extra' in plain.json<object>()), 'custom data only with withCustomData(true)');
      assert.equal(plain.json<{ secret: string }>().secret, 's', 'the handler that returned early hid nothing');
    } finally {
      sse.close();
      ws.socket.close();
    }
  }

  /** A WebSocket client subscribed to `topic`: its record frames as they come. */
  private async openWs(topic: string) {
    const socket = new WebSocket(`${this.baseUrl.replace('http', 'ws')}/api/realtime`);
    const control: { type: string; clientId?: string }[] = [];
    const frames: { action: string; topic: string; record: Record<string, unknown> }[] = [];
    socket.on('message', (data: Buffer) => {
      const body = JSON.parse(data.toString()) as { type?: string; record?: { collectionName?: string } };
      if (typeof body.type === 'string') {
        control.push(body as { type: string });
      } else if (body.record?.collectionName === HK_RT) {
        frames.push(body as (typeof frames)[number]);
      }
    });
    await waitUntil(() => control.some((c) => c.type === 'connected'), 'the WebSocket connected message');
    socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
    await waitUntil(() => control.some((c) => c.type === 'subscribed'), 'the WebSocket subscription');
    return { socket, frames, clientId: String(control.find((c) => c.type === 'connected')?.clientId) };
  }

  /** onRecordAuthRefreshRequest refuses one user's refresh with the record and collection it got; others refresh. */
  async authRefresh(): Promise<void> {
    for (const prefix of ['banned', 'fine']) {
      const email = uniqueEmail(prefix);
      const made = await this.call('POST', '/api/collections/users/records', makeUserInput({ email }), '');
      assert.equal(made.status, 200, made.text);
      const token = await tokenFor(this.http, 'users', email, DEFAULT_PASSWORD);
      const res = await this.call('POST', '/api/collections/users/auth-refresh', undefined, token);
      if (prefix === 'banned') {
        assert.equal(res.status, 403, res.text);
        assert.equal(res.json<{ message: string }>().message, `No refresh for ${email} of users.`);
      } else {
        assert.equal(res.status, 200, res.text);
        const record = res.json<{ record: { email: string; name: string } }>().record;
        assert.deepEqual([record.email, record.name], [email, `refreshed ${email}`], 'the change of the hook answered');
      }
    }
  }

  /** onRecordAuthWithPasswordRequest runs before the password check: a missing record (null), a refused one. */
  async authWithPassword(): Promise<void> {
    const signIn = (identity: string, password: string) =>
      this.call('POST', '/api/collections/users/auth-with-password', { identity, password }, '');
    const ghost = uniqueEmail('ghost');
    const unknown = await signIn(ghost, DEFAULT_PASSWORD);
    assert.equal(unknown.status, 400, unknown.text);
    assert.equal(unknown.json<{ message: string }>().message, `Unknown ${ghost} (record null).`);
    const email = uniqueEmail('locked');
    assert.equal((await this.call('POST', '/api/collections/users/records', makeUserInput({ email }), '')).status, 200);
    // refused by the hook with a wrong password too: it ran before the password was checked
    const locked = await signIn(email, 'wrong-password');
    assert.equal(locked.status, 403, locked.text);
    assert.equal(locked.json<{ message: string }>().message, `Locked: ${email} (password of 14).`);
  }

  /** The request hooks of the password reset, verification and email change flows refuse by the record they got. */
  async authFlows(): Promise<void> {
    const user = async (prefix: string) => {
      const email = uniqueEmail(prefix);
      const made = await this.call('POST', '/api/collections/users/records', makeUserInput({ email }), '');
      assert.equal(made.status, 200, made.text);
      return email;
    };
    const refused = async (url: string, body: unknown, message: string, token = '') => {
      const res = await this.call('POST', `/api/collections/users/${url}`, body, token);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json<{ message: string }>().message, message);
    };
    const noReset = await user('noreset');
    await refused('request-password-reset', { email: noReset }, `No reset for ${noReset} of users.`);
    const fine = await user('fine');
    const reset = await this.call('POST', '/api/collections/users/request-password-reset', { email: fine }, '');
    assert.equal(reset.status, 204, reset.text);
    const noVerify = await user('noverify');
    await refused('request-verification', { email: noVerify }, `No verification mail for ${noVerify}.`);
    const token = await tokenFor(this.http, 'users', fine, DEFAULT_PASSWORD);
    const blocked = `new_${fine.split('@')[0]}@blocked.example.com`;
    await refused('request-email-change', { newEmail: blocked }, `Not to ${blocked} for ${fine}.`, token);
  }

  /**
   * onFileTokenRequest refuses a user by its record; onFileDownloadRequest refuses, renames or serves another file
   * (e.servedPath) by the whole record.
   */
  async files(): Promise<void> {
    const email = uniqueEmail('notoken');
    assert.equal((await this.call('POST', '/api/collections/users/records', makeUserInput({ email }), '')).status, 200);
    const refused = await this.call(
      'POST',
      '/api/files/token',
      undefined,
      await tokenFor(this.http, 'users', email, DEFAULT_PASSWORD),
    );
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json<{ message: string }>().message, `No file token for ${email}.`);
    const upload = async (title: string, files: Record<string, Blob> = {}) => {
      const form = new FormData();
      form.append('title', title);
      form.append('doc', files.doc ?? new Blob(['hello'], { type: 'text/plain' }), files.doc ? 'pic.png' : 'hello.txt');
      form.append('other', files.other ?? new Blob(['other file'], { type: 'text/plain' }), 'other.txt');
      const made = await this.call('POST', `/api/collections/${HK_FILES}/records`, form, '');
      assert.equal(made.status, 200, made.text);
      return made.json<{ id: string; doc: string; other: string }>();
    };
    const download = (r: { id: string; doc: string }, query = 'download=1') =>
      this.call('GET', `/api/files/${HK_FILES}/${r.id}/${r.doc}?${query}`, undefined, '');
    const disposition = (res: { headers: Headers }) => res.headers.get('content-disposition') ?? '';
    const cid = (await this.call('GET', `/api/collections/${HK_FILES}`)).json<{ id: string }>().id;
    const secret = await upload('secret');
    const no = await download(secret);
    assert.equal(no.status, 403, no.text);
    assert.equal(
      no.json<{ message: string }>().message,
      `Not ${secret.doc} of ${HK_FILES}.doc at ${cid}/${secret.id}/${secret.doc}.`,
    );
    const record = await upload('report');
    const res = await download(record);
    assert.equal(res.status, 200);
    assert.equal(res.text, 'hello');
    assert.match(disposition(res), new RegExp(`hk-report-doc-${record.doc}`));
    // e.servedPath changed: the record's other file is served (under the name of the one asked for)
    const swap = await upload('swap');
    const swapped = await download(swap);
    assert.equal(swapped.status, 200, swapped.text);
    assert.equal(swapped.text, 'other file');
    assert.match(disposition(swapped), new RegExp(`hk-swap-doc-${swap.doc}`));
    // the request event: e.auth (the Authorization header's record, null for a guest), e.request, e.requestInfo()
    const members = await upload('members');
    const membersUrl = `/api/files/${HK_FILES}/${members.id}/${members.doc}?download=1`;
    const guest = await this.http.request('GET', membersUrl, { headers: { 'X-Client-Tag': 'hk-files' } });
    assert.equal(guest.status, 401, guest.text);
    assert.equal(guest.json<{ message: string }>().message, 'Members only (download=1, tag hk-files).');
    const memberEmail = uniqueEmail('member');
    const input = makeUserInput({ email: memberEmail });
    assert.equal((await this.call('POST', '/api/collections/users/records', input, '')).status, 200);
    const memberToken = await tokenFor(this.http, 'users', memberEmail, DEFAULT_PASSWORD);
    const member = await this.call('GET', membersUrl, undefined, memberToken);
    assert.equal(member.status, 200, member.text);
    assert.match(disposition(member), new RegExp(`hk-members-doc-${memberEmail}-${members.doc}`));
    // a served path out of the storage is not served
    const escape = await download(await upload('escape'));
    assert.equal(escape.status, 404, escape.text);
    // a thumb: its path and PocketBase's `<size>_<filename>` name are what the hook gets
    const pic = await upload('pic', { doc: new Blob([await makeImage(200, 100)], { type: 'image/png' }) });
    const thumb = await download(pic, 'thumb=100x100');
    assert.equal(thumb.status, 200, thumb.text);
    assert.equal(thumb.headers.get('content-type'), 'image/png');
    assert.match(disposition(thumb), new RegExp(`^inline; filename="hk-pic-doc-100x100_${pic.doc}"$`));
  }
}
