import {
  badge,
  isEmail,
  obj,
  requireActive,
  str,
  verifiedPrimary,
  type OAuth2Preset,
  type Raw,
} from '../oauth2-preset';

/** `<userInfoURL>/emails`: GitHub, Gitea and Bitbucket list the addresses beside the user. */
const beside = (config: { userInfoURL: string }) => `${config.userInfoURL.replace(/\/$/, '')}/emails`;

/** GitHub: the email is always the verified primary one of `/user/emails` (the profile's may be unverified). */
const github: OAuth2Preset = {
  name: 'github',
  displayName: 'GitHub',
  order: 7,
  authURL: 'https://github.com/login/oauth/authorize',
  tokenURL: 'https://github.com/login/oauth/access_token',
  userInfoURL: 'https://api.github.com/user',
  // GitHub ignores the PKCE parameters today; sending them is harmless.
  pkce: true,
  scopes: ['read:user', 'user:email'],
  logo: badge('#24292f', 'GH'),
  emails: { when: 'always', url: beside, pick: verifiedPrimary },
  mapUser: (raw) => ({
    id: str(raw.id),
    name: str(raw.name),
    username: str(raw.login),
    email: '',
    avatarURL: str(raw.avatar_url),
  }),
};

/** GitLab: the email counts once the account is confirmed (`confirmed_at` set). */
const gitlab: OAuth2Preset = {
  name: 'gitlab',
  displayName: 'GitLab',
  order: 8,
  authURL: 'https://gitlab.com/oauth/authorize',
  tokenURL: 'https://gitlab.com/oauth/token',
  userInfoURL: 'https://gitlab.com/api/v4/user',
  pkce: true,
  scopes: ['read_user'],
  logo: badge('#fc6d26', 'GL'),
  mapUser: (raw) => {
    const confirmed = str(raw.confirmed_at);
    return {
      id: str(raw.id),
      name: str(raw.name),
      username: str(raw.username),
      email: confirmed && !Number.isNaN(Date.parse(confirmed)) ? str(raw.email) : '',
      avatarURL: str(raw.avatar_url),
    };
  },
};

/** Bitbucket: no PKCE; only active accounts; the email is the confirmed primary one of `/user/emails`. */
const bitbucket: OAuth2Preset = {
  name: 'bitbucket',
  displayName: 'Bitbucket',
  order: 9,
  authURL: 'https://bitbucket.org/site/oauth2/authorize',
  tokenURL: 'https://bitbucket.org/site/oauth2/access_token',
  userInfoURL: 'https://api.bitbucket.org/2.0/user',
  pkce: false,
  scopes: ['account'],
  logo: badge('#0052cc', 'B'),
  emails: {
    when: 'always',
    url: beside,
    pick: (body) => {
      const values: unknown[] = Array.isArray(obj(body).values) ? (obj(body).values as unknown[]) : [];
      const hit = values.map(obj).find((v) => v.is_primary === true && v.is_confirmed === true);
      return hit ? str(hit.email) : '';
    },
  },
  mapUser: (raw) => {
    requireActive(raw.account_status === 'active', 'Bitbucket');
    return {
      id: str(raw.uuid),
      name: str(raw.display_name),
      username: str(raw.username),
      email: '',
      avatarURL: str(obj(obj(raw.links).avatar).href),
    };
  },
};

/** Gitee: a well-formed profile email, else the confirmed primary one of `/emails` (next to `/user`). */
const gitee: OAuth2Preset = {
  name: 'gitee',
  displayName: 'Gitee',
  order: 10,
  authURL: 'https://gitee.com/oauth/authorize',
  tokenURL: 'https://gitee.com/oauth/token',
  userInfoURL: 'https://gitee.com/api/v5/user',
  pkce: true,
  scopes: ['user_info', 'emails'],
  logo: badge('#c71d23', 'Gi'),
  emails: {
    when: 'missing',
    url: (config) => config.userInfoURL.replace(/\/user\/?$/, '/emails'),
    pick: (body) => {
      const list: unknown[] = Array.isArray(body) ? body : [];
      const hit = list
        .map(obj)
        .find(
          (e) =>
            e.state === 'confirmed' && Array.isArray(e.scope) && e.scope.includes('primary') && isEmail(str(e.email)),
        );
      return hit ? str(hit.email) : '';
    },
  },
  mapUser: (raw) => ({
    id: str(raw.id),
    name: str(raw.name),
    username: str(raw.login),
    email: isEmail(str(raw.email)) ? str(raw.email) : '',
    avatarURL: str(raw.avatar_url),
  }),
};

/** Gitea/Forgejo: only active accounts; the email is the verified primary one of `/user/emails`. */
const gitea: OAuth2Preset = {
  name: 'gitea',
  displayName: 'Gitea/Forgejo',
  order: 11,
  authURL: 'https://gitea.com/login/oauth/authorize',
  tokenURL: 'https://gitea.com/login/oauth/access_token',
  userInfoURL: 'https://gitea.com/api/v1/user',
  pkce: true,
  scopes: ['read:user', 'user:email'],
  logo: badge('#609926', 'Gt'),
  emails: { when: 'always', url: beside, pick: verifiedPrimary },
  mapUser: (raw) => {
    requireActive(raw.active === true, 'Gitea');
    return {
      id: str(raw.id),
      name: str(raw.full_name),
      username: str(raw.login),
      email: '',
      avatarURL: str(raw.avatar_url),
    };
  },
};

/** Linear: no PKCE; the user is a GraphQL `viewer` query (POST). */
const linear: OAuth2Preset = {
  name: 'linear',
  displayName: 'Linear',
  order: 16,
  authURL: 'https://linear.app/oauth/authorize',
  tokenURL: 'https://api.linear.app/oauth/token',
  userInfoURL: 'https://api.linear.app/graphql',
  pkce: false,
  scopes: ['read'],
  logo: badge('#5e6ad2', 'L'),
  userInfoBody: { query: 'query Me { viewer { id displayName name email avatarUrl active } }' },
  mapUser: (raw) => {
    const viewer = obj(obj(raw.data).viewer);
    requireActive(viewer.active === true, 'Linear');
    return {
      id: str(viewer.id),
      name: str(viewer.name),
      username: str(viewer.displayName),
      email: str(viewer.email),
      avatarURL: str(viewer.avatarUrl),
    };
  },
};

/** mailcow: self-hosted (every URL from the config); only active mailboxes; the username is the local part. */
const mailcow: OAuth2Preset = {
  name: 'mailcow',
  displayName: 'mailcow',
  order: 28,
  authURL: '',
  tokenURL: '',
  userInfoURL: '',
  pkce: true,
  scopes: ['profile'],
  logo: badge('#0b4f8a', 'mc'),
  mapUser: (raw: Raw) => {
    requireActive(raw.active === 1 || raw.active === '1', 'mailcow');
    const username = str(raw.username);
    return {
      id: str(raw.id),
      name: str(raw.full_name),
      username: username.includes('@') ? username.split('@')[0] : username,
      email: str(raw.email),
      avatarURL: '',
    };
  },
};

export const DEV_PRESETS: readonly OAuth2Preset[] = [github, gitlab, bitbucket, gitee, gitea, linear, mailcow];
