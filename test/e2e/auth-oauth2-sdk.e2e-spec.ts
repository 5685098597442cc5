// The official JS SDK's OAuth2 code flow (authWithOAuth2Code) and external-auth helpers against a
// real provider (oauth2-mock-server).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase, { ClientResponseError } from 'pocketbase';

import { RunningServer, startTestServer, uniqueSuffix } from '@lib/testing';

import { mock, REDIRECT_URL, useOAuth2Mock } from './support/oauth2-mock';

useOAuth2Mock();

let server: RunningServer | undefined;
let admin: PocketBase;
let people = '';

function client(): PocketBase {
  assert.ok(server, 'server not started');
  const pb = new PocketBase(server.baseUrl);
  pb.autoCancellation(false);
  return pb;
}

function profile(suffix: string): Record<string, unknown> {
  return { sub: `sdk-${suffix}`, email: `sdk_${suffix}@example.com`, email_verified: true, name: `SDK ${suffix}` };
}

void describe('JS SDK: authWithOAuth2Code', () => {
  before(async () => {
    server = await startTestServer(process.env);
    admin = client();
    await admin.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
    people = `sdkpeople_${uniqueSuffix()}`;
    await admin.collections.create({
      name: people,
      type: 'auth',
      listRule: 'id = @request.auth.id',
      viewRule: 'id = @request.auth.id',
      createRule: '',
      updateRule: 'id = @request.auth.id',
      fields: [
        { name: 'name', type: 'text' },
        { name: 'plan', type: 'text' },
      ],
      oauth2: { enabled: true, mappedFields: { name: 'name' }, providers: [mock().provider('oidc')] },
    });
  });
  after(async () => {
    await server?.stop();
  });

  void it('creates the user, fills the auth store and returns meta', async () => {
    const suffix = uniqueSuffix();
    const { code, codeVerifier } = await mock().authorize(profile(suffix));
    const pb = client();
    const auth = await pb
      .collection(people)
      .authWithOAuth2Code('oidc', code, codeVerifier, REDIRECT_URL, { plan: 'free' });
    assert.equal(auth.record.email, `sdk_${suffix}@example.com`);
    assert.equal(auth.record.name, `SDK ${suffix}`);
    assert.equal(auth.record.plan, 'free');
    assert.equal(auth.record.verified, true);
    assert.equal(auth.meta?.isNew, true);
    assert.equal(auth.meta?.id, `sdk-${suffix}`);
    assert.ok(pb.authStore.isValid);
    assert.equal(pb.authStore.record?.id, auth.record.id);
    assert.equal(mock().lastTokenRequest.code_verifier, codeVerifier);

    const refreshed = await pb.collection(people).authRefresh();
    assert.equal(refreshed.record.id, auth.record.id);
  });

  void it('logs the same user in again, lists and unlinks its external auth', async () => {
    const suffix = uniqueSuffix();
    const first = await mock().authorize(profile(suffix));
    const pb = client();
    const created = await pb
      .collection(people)
      .authWithOAuth2Code('oidc', first.code, first.codeVerifier, REDIRECT_URL);
    const again = await mock().authorize(profile(suffix));
    const auth = await client()
      .collection(people)
      .authWithOAuth2Code('oidc', again.code, again.codeVerifier, REDIRECT_URL);
    assert.equal(auth.record.id, created.record.id);
    assert.equal(auth.meta?.isNew, false);

    const linked = await pb.collection(people).listExternalAuths(auth.record.id);
    assert.deepEqual(
      linked.map((l) => [l.provider, l.providerId]),
      [['oidc', `sdk-${suffix}`]],
    );
    await pb.collection(people).unlinkExternalAuth(auth.record.id, 'oidc');
    assert.equal((await pb.collection(people).listExternalAuths(auth.record.id)).length, 0);
  });

  void it('rejects an unknown provider with a field error', async () => {
    await assert.rejects(
      client().collection(people).authWithOAuth2Code('nope', 'code', 'verifier', REDIRECT_URL),
      (err: unknown) => {
        assert.ok(err instanceof ClientResponseError);
        assert.equal(err.status, 400);
        assert.equal(
          (err.response.data as Record<string, { code: string }>).provider.code,
          'validation_invalid_provider',
        );
        return true;
      },
    );
  });
});
