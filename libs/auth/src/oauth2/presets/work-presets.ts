import { badge, obj, requireActive, str, type OAuth2Preset } from '../oauth2-preset';

/** Notion: the token belongs to a bot; the person is its owner. Needs a `Notion-Version` header. */
const notion: OAuth2Preset = {
  name: 'notion',
  displayName: 'Notion',
  order: 17,
  authURL: 'https://api.notion.com/v1/oauth/authorize',
  tokenURL: 'https://api.notion.com/v1/oauth/token',
  userInfoURL: 'https://api.notion.com/v1/users/me',
  pkce: true,
  scopes: [],
  logo: badge('#000000', 'N'),
  headers: () => ({ 'notion-version': '2022-06-28' }),
  mapUser: (raw) => {
    const user = obj(obj(obj(raw.bot).owner).user);
    return {
      id: str(user.id),
      name: str(user.name),
      username: '',
      email: str(obj(user.person).email),
      avatarURL: str(user.avatar_url),
    };
  },
};

/** monday.com: a GraphQL `me` query (POST); only enabled accounts; the email when verified. */
const monday: OAuth2Preset = {
  name: 'monday',
  displayName: 'monday.com',
  order: 18,
  authURL: 'https://auth.monday.com/oauth2/authorize',
  tokenURL: 'https://auth.monday.com/oauth2/token',
  userInfoURL: 'https://api.monday.com/v2',
  pkce: true,
  scopes: ['me:read'],
  logo: badge('#ff3d57', 'm'),
  userInfoBody: { query: 'query { me { id enabled name email is_verified photo_small }}' },
  mapUser: (raw) => {
    const me = obj(obj(raw.data).me);
    requireActive(me.enabled === true, 'monday.com');
    return {
      id: str(me.id),
      name: str(me.name),
      username: '',
      email: me.is_verified === true ? str(me.email) : '',
      avatarURL: str(me.photo_small),
    };
  },
};

/** Lark (Feishu endpoints by default; larksuite.com through the config): the id is the `union_id`. */
const lark: OAuth2Preset = {
  name: 'lark',
  displayName: 'Lark',
  order: 19,
  authURL: 'https://accounts.feishu.cn/open-apis/authen/v1/authorize',
  tokenURL: 'https://open.feishu.cn/open-apis/authen/v2/oauth/token',
  userInfoURL: 'https://open.feishu.cn/open-apis/authen/v1/user_info',
  pkce: true,
  scopes: [],
  logo: badge('#3370ff', 'La'),
  mapUser: (raw) => {
    const data = obj(raw.data);
    return {
      id: str(data.union_id),
      name: str(data.name),
      username: '',
      email: '',
      avatarURL: str(data.avatar_url),
    };
  },
};

/** Box: only active accounts; the login is an email Box has verified. */
const box: OAuth2Preset = {
  name: 'box',
  displayName: 'Box',
  order: 20,
  authURL: 'https://account.box.com/api/oauth2/authorize',
  tokenURL: 'https://api.box.com/oauth2/token',
  userInfoURL: 'https://api.box.com/2.0/users/me',
  pkce: true,
  scopes: ['root_readonly'],
  logo: badge('#0061d5', 'box'),
  mapUser: (raw) => {
    requireActive(raw.status === 'active', 'Box');
    return {
      id: str(raw.id),
      name: str(raw.name),
      username: '',
      email: str(raw.login),
      avatarURL: str(raw.avatar_url),
    };
  },
};

/** Trakt: the API wants the client id as `trakt-api-key` and `trakt-api-version: 2`; the id is the user's uuid. */
const trakt: OAuth2Preset = {
  name: 'trakt',
  displayName: 'Trakt',
  order: 22,
  authURL: 'https://trakt.tv/oauth/authorize',
  tokenURL: 'https://api.trakt.tv/oauth/token',
  userInfoURL: 'https://api.trakt.tv/users/settings',
  pkce: true,
  scopes: [],
  logo: badge('#ed1c24', 'Tr'),
  headers: (config) => ({
    'content-type': 'application/json',
    'trakt-api-key': config.clientId,
    'trakt-api-version': '2',
  }),
  mapUser: (raw) => {
    const user = obj(raw.user);
    return {
      id: str(obj(user.ids).uuid),
      name: str(user.name),
      username: str(user.username),
      email: '',
      avatarURL: str(obj(obj(user.images).avatar).full),
    };
  },
};

/** WakaTime: the email when confirmed, the photo when public. */
const wakatime: OAuth2Preset = {
  name: 'wakatime',
  displayName: 'WakaTime',
  order: 26,
  authURL: 'https://wakatime.com/oauth/authorize',
  tokenURL: 'https://wakatime.com/oauth/token',
  userInfoURL: 'https://wakatime.com/api/v1/users/current',
  pkce: true,
  scopes: ['email'],
  logo: badge('#000000', 'W'),
  mapUser: (raw) => {
    const data = obj(raw.data);
    return {
      id: str(data.id),
      name: str(data.display_name),
      username: str(data.username),
      email: data.is_email_confirmed === true ? str(data.email) : '',
      avatarURL: data.photo_public === true ? str(data.photo) : '',
    };
  },
};

/** LiveChat: scopes are set in its developer console. */
const livechat: OAuth2Preset = {
  name: 'livechat',
  displayName: 'LiveChat',
  order: 27,
  authURL: 'https://accounts.livechat.com/',
  tokenURL: 'https://accounts.livechat.com/token',
  userInfoURL: 'https://accounts.livechat.com/v2/accounts/me',
  pkce: true,
  scopes: [],
  logo: badge('#ff5100', 'LC'),
  mapUser: (raw) => ({
    id: str(raw.account_id),
    name: str(raw.name),
    username: '',
    email: raw.email_verified === true ? str(raw.email) : '',
    avatarURL: str(raw.avatar_url),
  }),
};

/** Planning Center: a JSON:API person; only active ones. */
const planningcenter: OAuth2Preset = {
  name: 'planningcenter',
  displayName: 'Planning Center',
  order: 29,
  authURL: 'https://api.planningcenteronline.com/oauth/authorize',
  tokenURL: 'https://api.planningcenteronline.com/oauth/token',
  userInfoURL: 'https://api.planningcenteronline.com/people/v2/me',
  pkce: true,
  scopes: ['people'],
  logo: badge('#2266f7', 'PC'),
  mapUser: (raw) => {
    const data = obj(raw.data);
    const attributes = obj(data.attributes);
    requireActive(attributes.status === 'active', 'Planning Center');
    return {
      id: str(data.id),
      name: str(attributes.name),
      username: '',
      email: '',
      avatarURL: str(attributes.avatar),
    };
  },
};

export const WORK_PRESETS: readonly OAuth2Preset[] = [
  notion,
  monday,
  lark,
  box,
  trakt,
  wakatime,
  livechat,
  planningcenter,
];
