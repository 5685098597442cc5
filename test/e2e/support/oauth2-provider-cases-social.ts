// Provider rows (see oauth2-provider-cases.ts): the consumer and social networks.
import assert from 'node:assert/strict';

import { CLIENT_ID, CLIENT_SECRET, mock } from './oauth2-mock';
import { mailOf, noPkce, userinfoHeader, type ProviderCase } from './oauth2-provider-cases';

export const SOCIAL_CASES: ProviderCase[] = [
  {
    provider: 'yandex',
    shape: (t) => ({
      userinfo: {
        id: `ya${t.suffix}`,
        login: `ya_${t.suffix}`,
        real_name: 'Ivan Petrov',
        default_email: mailOf(t, 'yandex'),
        is_avatar_empty: false,
        default_avatar_id: `av${t.suffix}`,
      },
    }),
    user: (t) => ({
      id: `ya${t.suffix}`,
      name: 'Ivan Petrov',
      username: `ya_${t.suffix}`,
      email: mailOf(t, 'yandex'),
      avatarURL: `https://avatars.yandex.net/get-yapic/av${t.suffix}/islands-200`,
    }),
  },
  {
    provider: 'facebook',
    shape: (t) => ({
      userinfo: {
        id: `fb${t.suffix}`,
        name: 'Face Book',
        email: mailOf(t, 'fb'),
        picture: { data: { url: `https://fb.example/${t.suffix}.jpg`, width: 200 } },
      },
    }),
    user: (t) => ({
      id: `fb${t.suffix}`,
      name: 'Face Book',
      username: '',
      email: mailOf(t, 'fb'),
      avatarURL: `https://fb.example/${t.suffix}.jpg`,
    }),
  },
  {
    provider: 'instagram2',
    label: 'business login: user_id; the token permissions join rawUser',
    shape: (t) => ({
      userinfo: {
        id: 'app-scoped',
        user_id: `ig${t.suffix}`,
        username: `ig_${t.suffix}`,
        name: 'Insta Gram',
        profile_picture_url: `https://ig.example/${t.suffix}.jpg`,
      },
      token: { permissions: ['instagram_business_basic'] },
    }),
    user: (t) => ({
      id: `ig${t.suffix}`,
      name: 'Insta Gram',
      username: `ig_${t.suffix}`,
      email: '',
      avatarURL: `https://ig.example/${t.suffix}.jpg`,
    }),
    rawUser: (t) => ({ user_id: `ig${t.suffix}`, permissions: ['instagram_business_basic'] }),
  },
  {
    provider: 'discord',
    label: 'global_name, CDN avatar, verified email',
    shape: (t) => ({
      userinfo: {
        id: `80${t.suffix}`,
        username: `disc_${t.suffix}`,
        global_name: 'Disco',
        discriminator: '0',
        avatar: 'a1b2c3',
        email: mailOf(t, 'discord'),
        verified: true,
      },
    }),
    user: (t) => ({
      id: `80${t.suffix}`,
      name: 'Disco',
      username: `disc_${t.suffix}`,
      email: mailOf(t, 'discord'),
      avatarURL: `https://cdn.discordapp.com/avatars/80${t.suffix}/a1b2c3.png`,
    }),
  },
  {
    provider: 'discord',
    label: 'legacy tag as the name; unverified email dropped',
    shape: (t) => ({
      userinfo: { id: `81${t.suffix}`, username: `old_${t.suffix}`, discriminator: '1234', email: 'x@y.z' },
    }),
    user: (t) => ({
      id: `81${t.suffix}`,
      name: `old_${t.suffix}#1234`,
      username: `old_${t.suffix}`,
      email: '',
      avatarURL: '',
    }),
  },
  {
    provider: 'twitter',
    label: 'X: data envelope, confirmed_email; HTTP Basic client auth with PKCE',
    shape: (t) => ({
      userinfo: {
        data: {
          id: `x${t.suffix}`,
          name: 'Ex Twitter',
          username: `x_${t.suffix}`,
          confirmed_email: mailOf(t, 'x'),
          profile_image_url: `https://pbs.twimg.example/${t.suffix}.jpg`,
        },
      },
    }),
    user: (t) => ({
      id: `x${t.suffix}`,
      name: 'Ex Twitter',
      username: `x_${t.suffix}`,
      email: mailOf(t, 'x'),
      avatarURL: `https://pbs.twimg.example/${t.suffix}.jpg`,
    }),
    check: () => {
      const basic = mock().lastTokenHeaders.authorization as string;
      assert.match(basic, /^Basic /);
      assert.ok(Buffer.from(basic.slice(6), 'base64').toString().startsWith(`${CLIENT_ID}:`));
      assert.equal(mock().lastTokenRequest.client_secret, undefined);
      assert.ok(mock().lastTokenRequest.code_verifier);
    },
  },
  {
    provider: 'kakao',
    label: 'numeric id, nickname as username, email when valid and verified',
    shape: (t) => ({
      userinfo: {
        id: 123456,
        properties: { nickname: `kakao_${t.suffix}`, profile_image: `https://k.kakaocdn.example/${t.suffix}.jpg` },
        kakao_account: { email: mailOf(t, 'kakao'), is_email_valid: true, is_email_verified: true },
      },
    }),
    user: (t) => ({
      id: '123456',
      name: '',
      username: `kakao_${t.suffix}`,
      email: mailOf(t, 'kakao'),
      avatarURL: `https://k.kakaocdn.example/${t.suffix}.jpg`,
    }),
  },
  {
    provider: 'vk',
    label: 'response[0]; the email comes with the token; no PKCE; Basic refused → credentials as form fields',
    shape: (t) => ({
      userinfo: {
        response: [
          {
            id: 777,
            first_name: 'Pavel',
            last_name: 'D',
            screen_name: `vk_${t.suffix}`,
            photo_max: 'https://vk.example/p.jpg',
          },
        ],
      },
      token: { email: mailOf(t, 'vk'), user_id: 777 },
      rejectBasic: true,
    }),
    user: (t) => ({
      id: '777',
      name: 'Pavel D',
      username: `vk_${t.suffix}`,
      email: mailOf(t, 'vk'),
      avatarURL: 'https://vk.example/p.jpg',
    }),
    check: () => {
      noPkce();
      assert.equal(mock().lastTokenHeaders.authorization, undefined);
      assert.equal(mock().lastTokenRequest.client_id, CLIENT_ID);
      assert.equal(mock().lastTokenRequest.client_secret, CLIENT_SECRET);
    },
  },
  {
    provider: 'spotify',
    label: 'display_name, first image; no email',
    shape: (t) => ({
      userinfo: {
        id: `sp${t.suffix}`,
        display_name: 'Spot Ify',
        email: 'not-used@example.com',
        images: [{ url: `https://i.scdn.example/${t.suffix}.jpg`, height: 300 }],
      },
    }),
    user: (t) => ({
      id: `sp${t.suffix}`,
      name: 'Spot Ify',
      username: '',
      email: '',
      avatarURL: `https://i.scdn.example/${t.suffix}.jpg`,
    }),
  },
  {
    provider: 'twitch',
    label: 'data[0]; the Client-Id header',
    shape: (t) => ({
      userinfo: {
        data: [
          {
            id: `tw${t.suffix}`,
            login: `tw_${t.suffix}`,
            display_name: 'Twitch Er',
            email: mailOf(t, 'twitch'),
            profile_image_url: `https://static-cdn.jtvnw.example/${t.suffix}.png`,
          },
        ],
      },
    }),
    user: (t) => ({
      id: `tw${t.suffix}`,
      name: 'Twitch Er',
      username: `tw_${t.suffix}`,
      email: mailOf(t, 'twitch'),
      avatarURL: `https://static-cdn.jtvnw.example/${t.suffix}.png`,
    }),
    check: () => assert.equal(userinfoHeader('client-id'), CLIENT_ID),
  },
  {
    provider: 'patreon',
    shape: (t) => ({
      userinfo: {
        data: {
          id: `pa${t.suffix}`,
          type: 'user',
          attributes: {
            full_name: 'Pat Reon',
            vanity: `pat_${t.suffix}`,
            email: mailOf(t, 'patreon'),
            is_email_verified: true,
            image_url: `https://c8.patreon.example/${t.suffix}.png`,
          },
        },
      },
    }),
    user: (t) => ({
      id: `pa${t.suffix}`,
      name: 'Pat Reon',
      username: `pat_${t.suffix}`,
      email: mailOf(t, 'patreon'),
      avatarURL: `https://c8.patreon.example/${t.suffix}.png`,
    }),
  },
  {
    provider: 'strava',
    label: 'athlete: first + last name; no email',
    shape: (t) => ({
      userinfo: {
        id: 4242,
        firstname: 'Str',
        lastname: 'Ava',
        username: `st_${t.suffix}`,
        profile: 'https://s.example/a.jpg',
      },
      token: { athlete: { id: 4242 } },
    }),
    user: (t) => ({
      id: '4242',
      name: 'Str Ava',
      username: `st_${t.suffix}`,
      email: '',
      avatarURL: 'https://s.example/a.jpg',
    }),
  },
];
