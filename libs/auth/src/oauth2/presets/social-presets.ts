import { badge, first, obj, str, type OAuth2Preset } from '../oauth2-preset';

const yandex: OAuth2Preset = {
  name: 'yandex',
  displayName: 'Yandex',
  order: 4,
  authURL: 'https://oauth.yandex.com/authorize',
  tokenURL: 'https://oauth.yandex.com/token',
  userInfoURL: 'https://login.yandex.ru/info',
  pkce: true,
  scopes: ['login:email', 'login:avatar', 'login:info'],
  logo: badge('#fc3f1d', 'Я'),
  mapUser: (raw) => ({
    id: str(raw.id),
    name: str(raw.real_name),
    username: str(raw.login),
    email: str(raw.default_email),
    avatarURL:
      raw.is_avatar_empty === true
        ? ''
        : `https://avatars.yandex.net/get-yapic/${str(raw.default_avatar_id)}/islands-200`,
  }),
};

const facebook: OAuth2Preset = {
  name: 'facebook',
  displayName: 'Facebook',
  order: 5,
  authURL: 'https://www.facebook.com/v22.0/dialog/oauth',
  tokenURL: 'https://graph.facebook.com/v22.0/oauth/access_token',
  userInfoURL: 'https://graph.facebook.com/me?fields=name,email,picture.type(large)',
  pkce: true,
  scopes: ['email'],
  logo: badge('#1877f2', 'f'),
  // Facebook only returns confirmed emails.
  mapUser: (raw) => ({
    id: str(raw.id),
    name: str(raw.name),
    username: '',
    email: str(raw.email),
    avatarURL: str(obj(obj(raw.picture).data).url),
  }),
};

/** Instagram (business login) is `instagram2`: the old, deprecated Instagram API was `instagram`. */
const instagram: OAuth2Preset = {
  name: 'instagram2',
  displayName: 'Instagram',
  order: 6,
  authURL: 'https://www.instagram.com/oauth/authorize',
  tokenURL: 'https://api.instagram.com/oauth/access_token',
  userInfoURL:
    'https://graph.instagram.com/me?fields=id,username,account_type,user_id,name,profile_picture_url,followers_count,follows_count,media_count',
  pkce: true,
  scopes: ['instagram_business_basic'],
  logo: badge('#e1306c', 'Ig'),
  mapUser: (raw, ctx) => {
    // The granted permissions come with the token; rawUser carries them as PocketBase's does.
    if (!('permissions' in raw) && ctx.token.permissions !== undefined) {
      raw.permissions = ctx.token.permissions;
    }
    return {
      id: str(raw.user_id),
      name: str(raw.name),
      username: str(raw.username),
      email: '',
      avatarURL: str(raw.profile_picture_url),
    };
  },
};

const discord: OAuth2Preset = {
  name: 'discord',
  displayName: 'Discord',
  order: 12,
  authURL: 'https://discord.com/api/oauth2/authorize',
  tokenURL: 'https://discord.com/api/oauth2/token',
  userInfoURL: 'https://discord.com/api/users/@me',
  pkce: true,
  scopes: ['identify', 'email'],
  logo: badge('#5865f2', 'D'),
  mapUser: (raw) => {
    const id = str(raw.id);
    const username = str(raw.username);
    const discriminator = str(raw.discriminator);
    const legacyName = discriminator && discriminator !== '0' ? `${username}#${discriminator}` : username;
    const avatar = str(raw.avatar);
    return {
      id,
      name: str(raw.global_name) || legacyName,
      username,
      email: raw.verified === true ? str(raw.email) : '',
      avatarURL: avatar ? `https://cdn.discordapp.com/avatars/${id}/${avatar}.png` : '',
    };
  },
};

/** X/Twitter: OAuth 2.0 with PKCE; a confidential client authenticates with HTTP Basic. */
const twitter: OAuth2Preset = {
  name: 'twitter',
  displayName: 'X/Twitter',
  order: 13,
  authURL: 'https://x.com/i/oauth2/authorize',
  tokenURL: 'https://api.x.com/2/oauth2/token',
  userInfoURL: 'https://api.x.com/2/users/me?user.fields=id,name,username,profile_image_url,confirmed_email',
  pkce: true,
  scopes: ['users.read', 'users.email', 'tweet.read'],
  logo: badge('#000000', 'X'),
  tokenAuth: 'basic',
  mapUser: (raw) => {
    const data = obj(raw.data);
    return {
      id: str(data.id),
      name: str(data.name),
      username: str(data.username),
      email: str(data.confirmed_email),
      avatarURL: str(data.profile_image_url),
    };
  },
};

const kakao: OAuth2Preset = {
  name: 'kakao',
  displayName: 'Kakao',
  order: 14,
  authURL: 'https://kauth.kakao.com/oauth/authorize',
  tokenURL: 'https://kauth.kakao.com/oauth/token',
  userInfoURL: 'https://kapi.kakao.com/v2/user/me',
  pkce: true,
  scopes: ['account_email', 'profile_nickname', 'profile_image'],
  logo: badge('#fee500', 'K', '#191919'),
  mapUser: (raw) => {
    const profile = obj(raw.properties);
    const account = obj(raw.kakao_account);
    return {
      id: str(raw.id),
      name: '',
      username: str(profile.nickname),
      email: account.is_email_valid === true && account.is_email_verified === true ? str(account.email) : '',
      avatarURL: str(profile.profile_image),
    };
  },
};

/** VK: no PKCE (VK rejects its parameters); the email comes with the token, not the user. */
const vk: OAuth2Preset = {
  name: 'vk',
  displayName: 'ВКонтакте',
  order: 15,
  authURL: 'https://oauth.vk.com/authorize',
  tokenURL: 'https://oauth.vk.com/access_token',
  userInfoURL: 'https://api.vk.com/method/users.get?fields=photo_max,screen_name&v=5.131',
  pkce: false,
  scopes: ['email'],
  logo: badge('#0077ff', 'VK'),
  mapUser: (raw, ctx) => {
    const user = first(raw.response);
    if (Object.keys(user).length === 0) {
      throw new Error('missing response entry');
    }
    return {
      id: str(user.id),
      name: `${str(user.first_name)} ${str(user.last_name)}`.trim(),
      username: str(user.screen_name),
      email: str(ctx.token.email),
      avatarURL: str(user.photo_max),
    };
  },
};

const spotify: OAuth2Preset = {
  name: 'spotify',
  displayName: 'Spotify',
  order: 21,
  authURL: 'https://accounts.spotify.com/authorize',
  tokenURL: 'https://accounts.spotify.com/api/token',
  userInfoURL: 'https://api.spotify.com/v1/me',
  pkce: true,
  scopes: ['user-read-private'],
  logo: badge('#1ed760', 'S', '#000'),
  mapUser: (raw) => ({
    id: str(raw.id),
    name: str(raw.display_name),
    username: '',
    email: '',
    avatarURL: str(first(raw.images).url),
  }),
};

/** Twitch: Helix wants the app's `Client-Id` header beside the bearer token; the user is `data[0]`. */
const twitch: OAuth2Preset = {
  name: 'twitch',
  displayName: 'Twitch',
  order: 23,
  authURL: 'https://id.twitch.tv/oauth2/authorize',
  tokenURL: 'https://id.twitch.tv/oauth2/token',
  userInfoURL: 'https://api.twitch.tv/helix/users',
  pkce: true,
  scopes: ['user:read:email'],
  logo: badge('#9146ff', 'T'),
  headers: (config) => ({ 'client-id': config.clientId }),
  mapUser: (raw) => {
    const user = first(raw.data);
    if (Object.keys(user).length === 0) {
      throw new Error('failed to fetch AuthUser data');
    }
    return {
      id: str(user.id),
      name: str(user.display_name),
      username: str(user.login),
      email: str(user.email),
      avatarURL: str(user.profile_image_url),
    };
  },
};

const patreon: OAuth2Preset = {
  name: 'patreon',
  displayName: 'Patreon',
  order: 24,
  authURL: 'https://www.patreon.com/oauth2/authorize',
  tokenURL: 'https://www.patreon.com/api/oauth2/token',
  userInfoURL:
    'https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=full_name,email,vanity,image_url,is_email_verified',
  pkce: true,
  scopes: ['identity', 'identity[email]'],
  logo: badge('#ff424d', 'P'),
  mapUser: (raw) => {
    const data = obj(raw.data);
    const attributes = obj(data.attributes);
    return {
      id: str(data.id),
      name: str(attributes.full_name),
      username: str(attributes.vanity),
      email: attributes.is_email_verified === true ? str(attributes.email) : '',
      avatarURL: str(attributes.image_url),
    };
  },
};

const strava: OAuth2Preset = {
  name: 'strava',
  displayName: 'Strava',
  order: 25,
  authURL: 'https://www.strava.com/oauth/authorize',
  tokenURL: 'https://www.strava.com/api/v3/oauth/token',
  userInfoURL: 'https://www.strava.com/api/v3/athlete',
  pkce: true,
  scopes: ['profile:read_all'],
  logo: badge('#fc4c02', 'S'),
  mapUser: (raw) => ({
    id: raw.id === 0 ? '' : str(raw.id),
    name: `${str(raw.firstname)} ${str(raw.lastname)}`,
    username: str(raw.username),
    email: '',
    avatarURL: str(raw.profile),
  }),
};

export const SOCIAL_PRESETS: readonly OAuth2Preset[] = [
  yandex,
  facebook,
  instagram,
  discord,
  twitter,
  kakao,
  vk,
  spotify,
  twitch,
  patreon,
  strava,
];
