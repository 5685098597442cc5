// Provider rows (see oauth2-provider-cases.ts): code hosts and work tools.
import assert from 'node:assert/strict';

import { CLIENT_ID } from './oauth2-mock';
import { providerApi } from './oauth2-provider-api';
import { mailOf, noPkce, userinfoHeader, type ProviderCase } from './oauth2-provider-cases';

const apiUser = () => ({ userInfoURL: `${providerApi().url}/user` });

export const WORK_CASES: ProviderCase[] = [
  {
    provider: 'github',
    label: 'numeric id; the email is the verified primary one of /user/emails, not the profile one',
    config: apiUser,
    shape: (t) => ({
      userinfo: {
        id: 4242,
        login: `octo_${t.suffix}`,
        name: 'The Octocat',
        email: 'public@example.com',
        avatar_url: 'https://avatars.example/u/4242',
      },
      emails: [
        { email: 'public@example.com', verified: false, primary: false },
        { email: mailOf(t, 'octo'), verified: true, primary: true },
      ],
      token: { expires_in: null, refresh_token: null },
    }),
    user: (t) => ({
      id: '4242',
      name: 'The Octocat',
      username: `octo_${t.suffix}`,
      email: mailOf(t, 'octo'),
      avatarURL: 'https://avatars.example/u/4242',
    }),
    meta: { expiry: '', refreshToken: '' },
  },
  {
    provider: 'gitlab',
    label: 'the email once confirmed_at is set',
    shape: (t) => ({
      userinfo: {
        id: 99,
        username: `gl_${t.suffix}`,
        name: 'Git Lab',
        email: mailOf(t, 'gitlab'),
        confirmed_at: '2024-01-02T03:04:05.000Z',
        avatar_url: 'https://gitlab.example/a.png',
      },
    }),
    user: (t) => ({
      id: '99',
      name: 'Git Lab',
      username: `gl_${t.suffix}`,
      email: mailOf(t, 'gitlab'),
      avatarURL: 'https://gitlab.example/a.png',
    }),
  },
  {
    provider: 'bitbucket',
    label: 'uuid, links.avatar; the confirmed primary email of /user/emails; no PKCE',
    config: apiUser,
    shape: (t) => ({
      userinfo: {
        uuid: `{bb-${t.suffix}}`,
        username: `bb_${t.suffix}`,
        display_name: 'Bit Bucket',
        account_status: 'active',
        links: { avatar: { href: 'https://bitbucket.example/a.png' } },
      },
      emails: { values: [{ email: mailOf(t, 'bb'), is_primary: true, is_confirmed: true }] },
    }),
    user: (t) => ({
      id: `{bb-${t.suffix}}`,
      name: 'Bit Bucket',
      username: `bb_${t.suffix}`,
      email: mailOf(t, 'bb'),
      avatarURL: 'https://bitbucket.example/a.png',
    }),
    check: noPkce,
  },
  {
    provider: 'gitee',
    label: 'no profile email: the confirmed primary one of /emails',
    config: apiUser,
    shape: (t) => ({
      userinfo: {
        id: 31,
        login: `gt_${t.suffix}`,
        name: 'Gi Tee',
        email: null,
        avatar_url: 'https://gitee.example/a.png',
      },
      emails: [
        { email: 'other@example.com', state: 'unconfirmed', scope: ['primary'] },
        { email: mailOf(t, 'gitee'), state: 'confirmed', scope: ['committed', 'primary'] },
      ],
    }),
    user: (t) => ({
      id: '31',
      name: 'Gi Tee',
      username: `gt_${t.suffix}`,
      email: mailOf(t, 'gitee'),
      avatarURL: 'https://gitee.example/a.png',
    }),
  },
  {
    provider: 'gitea',
    label: 'full_name; the verified primary email of /user/emails',
    config: apiUser,
    shape: (t) => ({
      userinfo: {
        id: 7,
        login: `tea_${t.suffix}`,
        full_name: 'Git Tea',
        active: true,
        avatar_url: 'https://gitea.example/a.png',
      },
      emails: [{ email: mailOf(t, 'gitea'), verified: true, primary: true }],
    }),
    user: (t) => ({
      id: '7',
      name: 'Git Tea',
      username: `tea_${t.suffix}`,
      email: mailOf(t, 'gitea'),
      avatarURL: 'https://gitea.example/a.png',
    }),
  },
  {
    provider: 'notion',
    label: "the bot owner's person; the Notion-Version header",
    shape: (t) => ({
      userinfo: {
        object: 'user',
        type: 'bot',
        bot: {
          owner: {
            type: 'user',
            user: {
              id: `no-${t.suffix}`,
              name: 'No Tion',
              avatar_url: 'https://notion.example/a.png',
              person: { email: mailOf(t, 'notion') },
            },
          },
          workspace_name: 'WS',
        },
      },
    }),
    user: (t) => ({
      id: `no-${t.suffix}`,
      name: 'No Tion',
      username: '',
      email: mailOf(t, 'notion'),
      avatarURL: 'https://notion.example/a.png',
    }),
    check: () => assert.equal(userinfoHeader('notion-version'), '2022-06-28'),
  },
  {
    provider: 'lark',
    label: 'data.union_id',
    shape: (t) => ({
      userinfo: {
        code: 0,
        data: { union_id: `on_${t.suffix}`, open_id: 'ou_x', name: 'La Rk', avatar_url: 'https://lark.example/a.png' },
      },
    }),
    user: (t) => ({
      id: `on_${t.suffix}`,
      name: 'La Rk',
      username: '',
      email: '',
      avatarURL: 'https://lark.example/a.png',
    }),
  },
  {
    provider: 'box',
    label: 'active account; the login is the email',
    shape: (t) => ({
      userinfo: {
        id: `b${t.suffix}`,
        name: 'Bo X',
        login: mailOf(t, 'box'),
        status: 'active',
        avatar_url: 'https://box.example/a.png',
      },
    }),
    user: (t) => ({
      id: `b${t.suffix}`,
      name: 'Bo X',
      username: '',
      email: mailOf(t, 'box'),
      avatarURL: 'https://box.example/a.png',
    }),
  },
  {
    provider: 'trakt',
    label: 'user.ids.uuid; trakt-api-key and trakt-api-version headers',
    shape: (t) => ({
      userinfo: {
        user: {
          username: `trakt_${t.suffix}`,
          name: 'Tra Kt',
          ids: { slug: 'tra-kt', uuid: `uu-${t.suffix}` },
          images: { avatar: { full: 'https://trakt.example/a.png' } },
        },
      },
    }),
    user: (t) => ({
      id: `uu-${t.suffix}`,
      name: 'Tra Kt',
      username: `trakt_${t.suffix}`,
      email: '',
      avatarURL: 'https://trakt.example/a.png',
    }),
    check: () => {
      assert.equal(userinfoHeader('trakt-api-key'), CLIENT_ID);
      assert.equal(userinfoHeader('trakt-api-version'), '2');
    },
  },
  {
    provider: 'wakatime',
    label: 'the email when confirmed; the photo only when public',
    shape: (t) => ({
      userinfo: {
        data: {
          id: `wk-${t.suffix}`,
          display_name: 'Waka Time',
          username: `waka_${t.suffix}`,
          email: mailOf(t, 'waka'),
          is_email_confirmed: true,
          photo: 'https://wakatime.example/private.png',
          photo_public: false,
        },
      },
    }),
    user: (t) => ({
      id: `wk-${t.suffix}`,
      name: 'Waka Time',
      username: `waka_${t.suffix}`,
      email: mailOf(t, 'waka'),
      avatarURL: '',
    }),
  },
  {
    provider: 'livechat',
    label: 'account_id; verified email',
    shape: (t) => ({
      userinfo: {
        account_id: `lc-${t.suffix}`,
        name: 'Live Chat',
        email: mailOf(t, 'livechat'),
        email_verified: true,
        avatar_url: 'https://livechat.example/a.png',
      },
    }),
    user: (t) => ({
      id: `lc-${t.suffix}`,
      name: 'Live Chat',
      username: '',
      email: mailOf(t, 'livechat'),
      avatarURL: 'https://livechat.example/a.png',
    }),
  },
  {
    provider: 'planningcenter',
    label: 'JSON:API person; active only',
    shape: (t) => ({
      userinfo: {
        data: {
          type: 'Person',
          id: `pc${t.suffix}`,
          attributes: { name: 'Plan Ning', status: 'active', avatar: 'https://pco.example/a.png' },
        },
      },
    }),
    user: (t) => ({
      id: `pc${t.suffix}`,
      name: 'Plan Ning',
      username: '',
      email: '',
      avatarURL: 'https://pco.example/a.png',
    }),
  },
];
