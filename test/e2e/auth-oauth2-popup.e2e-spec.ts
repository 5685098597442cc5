// The SDK's all-in-one OAuth2 flow (reference §2.4): `authWithOAuth2({provider, urlCallback})` opens a
// realtime connection, subscribes to `@oauth2`, and waits for /api/oauth2-redirect to hand it the code.
// The "popup" is a fetch that follows the provider's redirect back to nestbase.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase from 'pocketbase';

import { RunningServer, startTestServer, uniqueSuffix } from '@lib/testing';

import { browse, mock, useOAuth2Mock } from './support/oauth2-mock';
import { installEventSource } from './support/realtime-helpers';

installEventSource();
useOAuth2Mock();

let server: RunningServer | undefined;
let people = '';

function client(): PocketBase {
  assert.ok(server, 'server not started');
  const pb = new PocketBase(server.baseUrl);
  pb.autoCancellation(false);
  return pb;
}

void describe('JS SDK: authWithOAuth2 (realtime popup flow)', () => {
  before(async () => {
    server = await startTestServer(process.env);
    const admin = client();
    await admin.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
    people = `popup_${uniqueSuffix()}`;
    await admin.collections.create({
      name: people,
      type: 'auth',
      createRule: '',
      viewRule: 'id = @request.auth.id',
      fields: [{ name: 'name', type: 'text' }],
      oauth2: { enabled: true, mappedFields: { name: 'name' }, providers: [mock().provider('oidc')] },
    });
  });
  after(async () => {
    await server?.stop();
  });

  void it('signs a new user in through the redirect and the @oauth2 realtime message', async () => {
    const suffix = uniqueSuffix();
    const profile = { sub: `popup-${suffix}`, email: `popup_${suffix}@example.com`, email_verified: true, name: 'Pop' };
    const pb = client();
    let page: Promise<Response> | undefined;
    const auth = await pb.collection(people).authWithOAuth2({
      provider: 'oidc',
      urlCallback: (url) => {
        page = browse(url, profile);
      },
    });
    assert.equal(auth.record.email, profile.email);
    assert.equal(auth.record.name, 'Pop');
    assert.equal(auth.meta?.isNew, true);
    assert.ok(pb.authStore.isValid);
    assert.ok(page, 'the SDK asked for the popup');
    const landed = await page;
    assert.ok(landed.status < 400, `redirect page answered ${landed.status}`);
    pb.realtime.unsubscribe().catch(() => undefined);
  });

  void it('a redirect for an unknown realtime client lands on the failure page', async () => {
    const res = await fetch(`${server!.baseUrl}/api/oauth2-redirect?state=nobody-waits-here&code=abc`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /OAuth2/);
  });
});
