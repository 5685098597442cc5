// The split auth and files services SIGKILLed under load in the compose set (as processes), each started again:
// - auth, during a burst of `request-otp` (each writes an `_otps` row): every acknowledged OTP is stored, every
//   other request got a 502/503 from the gateway, never a silent loss;
// - files, during a burst of uploads (through records) each followed by a download (through files): every
//   acknowledged upload is served with its content after the restart and no record points at a missing file.
// - records, during multipart uploads of 100 KB to 1 MB (support/uploads-through-kill.ts): uploads are refused
//   502/503 while it is down, every acknowledged one is whole after its restart, nothing the rules hide is served.
// SQLite's `PRAGMA integrity_check` passes on the shared database afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, makeCollection, OPEN_RULES, text, tokenFor, uniqueEmail, uniqueSuffix } from '@lib/testing';

import { burstThenKill } from '../e2e/support/write-burst';
import { caller, Call, EVENT_CEILING_MS } from './support/restart-checks';
import { ServiceSet, SUPERUSER } from './support/service-set';
import { assertSqliteIntact, uploadsThroughKill } from './support/uploads-through-kill';

const PASSWORD = 'Kill-Service-Passw0rd';
const GATEWAY_DOWN = new Set(['502', '503']);

void describe('split services SIGKILLed under load', { timeout: 8 * 60_000 }, () => {
  const set = new ServiceSet();
  let http: HttpClient;
  let ok: Call;
  let su = { token: '' };

  before(async () => {
    await set.start();
    http = new HttpClient(set.gatewayUrl);
    ok = caller(http);
    su = { token: await tokenFor(http, '_superusers', SUPERUSER.email, SUPERUSER.password) };
  });

  after(async () => {
    await set.stop();
  });

  const assertIntegrity = () => assertSqliteIntact(set);

  void it('auth: keeps every acknowledged OTP when killed during a request-otp burst', async (ctx) => {
    const name = `kill_members_${uniqueSuffix()}`;
    await ok('POST', '/api/collections', {
      ...su,
      body: { name, type: 'auth', otp: { enabled: true, length: 6, duration: 600 } },
    });
    const emails = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const email = uniqueEmail('kill');
        const body = { email, password: PASSWORD, passwordConfirm: PASSWORD };
        await ok('POST', `/api/collections/${name}/records`, { ...su, body });
        return email;
      }),
    );
    const { acknowledged, failures } = await burstThenKill<string>({
      writers: 4,
      acknowledgedBeforeKill: 40,
      ceilingMs: EVENT_CEILING_MS,
      kill: () => set.kill('auth'),
      write: async (w) => {
        const res = await http.request('POST', `/api/collections/${name}/request-otp`, { body: { email: emails[w] } });
        return res.status === 200
          ? { ok: true, value: res.json<{ otpId: string }>().otpId }
          : { ok: false, status: res.status };
      },
    });
    await set.restart('auth');
    ctx.diagnostic(`${acknowledged.length} OTPs acknowledged; failures ${JSON.stringify([...failures])}`);
    const kinds = [...failures.keys()];
    assert.ok(
      kinds.length > 0 && kinds.every((k) => GATEWAY_DOWN.has(k)),
      `failures: ${JSON.stringify([...failures])}`,
    );
    const stored = new Set<string>();
    for (let page = 1; ; page++) {
      const list = await ok<{ items: { id: string }[]; totalPages: number }>(
        'GET',
        `/api/collections/_otps/records?perPage=500&page=${page}&skipTotal=0`,
        su,
      );
      list.items.forEach((item) => stored.add(item.id));
      if (page >= list.totalPages) {
        break;
      }
    }
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged OTPs lost`);
    // the restarted auth service works
    const again = await http.request('POST', `/api/collections/${name}/request-otp`, { body: { email: emails[0] } });
    assert.equal(again.status, 200, again.text);
    assertIntegrity();
  });

  void it('files: keeps every acknowledged upload when killed during an upload and download burst', async (ctx) => {
    const name = `kill_files_${uniqueSuffix()}`;
    const made = await ok<{ id: string }>('POST', '/api/collections', {
      ...su,
      body: makeCollection({
        name,
        ...OPEN_RULES,
        fields: [text('n'), { name: 'doc', type: 'file', maxSelect: 1, maxSize: 1_000_000 }],
      }),
    });
    const uploads: { id: string; doc: string; content: string }[] = [];
    // each write: an upload (records) then its download (files); a download refused after the kill ends the writer
    const { failures } = await burstThenKill<string>({
      writers: 4,
      acknowledgedBeforeKill: 30,
      ceilingMs: EVENT_CEILING_MS,
      kill: () => set.kill('files'),
      write: async (w, i) => {
        const content = `upload ${w}-${i} `.repeat(100);
        const form = new FormData();
        form.append('n', `${w}-${i}`);
        form.append('doc', new Blob([content], { type: 'text/plain' }), `f${w}-${i}.txt`);
        const up = await http.request('POST', `/api/collections/${name}/records`, { body: form });
        if (up.status !== 200) {
          return { ok: false, status: up.status };
        }
        const rec = up.json<{ id: string; doc: string }>();
        uploads.push({ id: rec.id, doc: rec.doc, content });
        const down = await http.request('GET', `/api/files/${made.id}/${rec.id}/${rec.doc}`);
        if (down.status !== 200) {
          return { ok: false, status: down.status };
        }
        assert.equal(down.text, content);
        return { ok: true, value: rec.id };
      },
    });
    await set.restart('files');
    ctx.diagnostic(`${uploads.length} uploads acknowledged; failures ${JSON.stringify([...failures])}`);
    const kinds = [...failures.keys()];
    assert.ok(
      kinds.length > 0 && kinds.every((k) => GATEWAY_DOWN.has(k)),
      `failures: ${JSON.stringify([...failures])}`,
    );
    for (const upload of uploads) {
      const down = await http.request('GET', `/api/files/${made.id}/${upload.id}/${upload.doc}`);
      assert.equal(down.status, 200, `acknowledged upload ${upload.doc}: ${down.status}`);
      assert.equal(down.text, upload.content);
    }
    // every record of the collection (acknowledged or not) has its file
    const list = await ok<{ items: { id: string; doc: string }[]; totalItems: number }>(
      'GET',
      `/api/collections/${name}/records?perPage=500&skipTotal=0`,
      su,
    );
    assert.ok(list.totalItems >= uploads.length && list.totalItems <= 500);
    for (const rec of list.items.filter((r) => r.doc)) {
      const down = await http.request('GET', `/api/files/${made.id}/${rec.id}/${rec.doc}`);
      assert.equal(down.status, 200, `record ${rec.id} points at a missing file`);
    }
    assertIntegrity();
  });

  void it('records: keeps every acknowledged upload whole, refuses uploads 502/503 while down, serves nothing hidden', async (t) => {
    await uploadsThroughKill(t, set, false);
    assertIntegrity();
  });
});
