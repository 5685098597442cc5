// The provider's avatar URL downloaded into the auth record's file field when `oauth2.mappedFields.avatarURL`
// names one. The mock provider serves the image from 127.0.0.1, which the server refuses by default (see
// auth-oauth2-providers: "refused from private addresses by default"); this file's server is started with the
// test/dev-only NB_OAUTH2_AVATAR_ALLOW_LOOPBACK, which lets loopback through and nothing else.
import assert from 'node:assert/strict';

import { file, matching, runScenarios, text, type ScenarioContext } from '@lib/testing';

import { mock, oauthUrl, people, REDIRECT_URL, useOAuth2Mock } from './support/oauth2-mock';
import { providerApi, useProviderApi } from './support/oauth2-provider-api';

// Read by the server this file spawns (its environment is this process's). The flag is a server setting, so this
// file always spawns its own server, also when the suite runs against a shared deployment (which keeps the
// default, refusal, checked there by auth-oauth2-providers).
process.env.NB_OAUTH2_AVATAR_ALLOW_LOOPBACK = 'true';
delete process.env.NB_TEST_BASE_URL;

useOAuth2Mock();
useProviderApi();

/** `people` with a file field `avatar` mapped from the provider's avatar URL (the mock as `oidc`). */
async function avatarPeople(t: ScenarioContext): Promise<void> {
  await people(t, {
    fields: [text('name'), text('username'), file('avatar', { maxSelect: 1, maxSize: 1024 * 1024 }), text('extId')],
    oauth2: {
      enabled: true,
      mappedFields: { id: 'extId', name: 'name', avatarURL: 'avatar' },
      providers: [mock().provider('oidc')],
    },
  });
}

/** The browser step for a user whose picture is `picture`; the avatar hit count so far lands in `t.vars`. */
async function authorize(t: ScenarioContext, picture: string): Promise<void> {
  const { code, codeVerifier } = await mock().authorize({
    sub: `pic-${t.suffix}`,
    name: 'Pic Ture',
    picture,
    email: `pic_${t.suffix}@example.com`,
    email_verified: true,
  });
  t.vars.code = code;
  t.vars.verifier = codeVerifier;
  t.vars.hits = String(providerApi().avatarHits);
}

const body = (t: ScenarioContext) => ({
  provider: 'oidc',
  code: t.vars.code,
  codeVerifier: t.vars.verifier,
  redirectURL: REDIRECT_URL,
});

const hitsSince = (t: ScenarioContext) => providerApi().avatarHits - Number(t.vars.hits);

runScenarios('auth-with-oauth2: avatar URL into a file field', [
  {
    name: 'new user: the avatar is downloaded and stored as the record file (served back byte for byte)',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await avatarPeople(t);
      await authorize(t, `${providerApi().url}/avatar.png`);
    },
    body,
    expectStatus: 200,
    expectBody: (t) => ({
      record: { avatar: matching(/^avatar_[a-z0-9]{10}\.png$/), name: 'Pic Ture', extId: `pic-${t.suffix}` },
      meta: { avatarURL: `${providerApi().url}/avatar.png`, isNew: true },
    }),
    after: async (t, res) => {
      assert.equal(hitsSince(t), 1);
      const record = res.json<{ record: { id: string; avatar: string; collectionId: string } }>().record;
      const served = await fetch(
        `${t.http.baseUrl}/api/files/${record.collectionId}/${record.id}/${encodeURIComponent(record.avatar)}`,
      );
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), providerApi().avatar);
    },
  },
  {
    name: 'returning (linked) user: not downloaded again, the stored avatar is kept',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await avatarPeople(t);
      await authorize(t, `${providerApi().url}/avatar.png`);
      const first = await t.request('POST', oauthUrl(t), { body: body(t) });
      t.vars.avatar = first.json<{ record: { avatar: string } }>().record.avatar;
      await authorize(t, `${providerApi().url}/avatar.png`);
    },
    body,
    expectStatus: 200,
    expectBody: (t) => ({ record: { avatar: t.vars.avatar }, meta: { isNew: false } }),
    after: async (t) => assert.equal(hitsSince(t), 0),
  },
  {
    name: 'createData naming the field wins: no download',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await avatarPeople(t);
      await authorize(t, `${providerApi().url}/avatar.png`);
    },
    body: (t) => ({ ...body(t), createData: { avatar: null } }),
    expectStatus: 200,
    expectBody: { record: { avatar: '' } },
    after: async (t) => assert.equal(hitsSince(t), 0),
  },
  {
    name: 'a private address stays refused with the loopback flag: the record is created without the avatar',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await avatarPeople(t);
      await authorize(t, 'http://10.0.0.1/avatar.png');
    },
    body,
    expectStatus: 200,
    expectBody: { record: { avatar: '', name: 'Pic Ture' }, meta: { avatarURL: 'http://10.0.0.1/avatar.png' } },
  },
  {
    name: 'a link-local address (cloud metadata) is refused too',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await avatarPeople(t);
      await authorize(t, 'http://169.254.169.254/latest/meta-data/');
    },
    body,
    expectStatus: 200,
    expectBody: { record: { avatar: '' } },
  },
  {
    name: 'the avatar URL answers 4xx: the sign-in still succeeds, without the avatar',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await avatarPeople(t);
      await authorize(t, `${providerApi().url}/no-such-avatar.png`);
    },
    body,
    expectStatus: 200,
    expectBody: { record: { avatar: '' }, meta: { isNew: true } },
  },
]);
