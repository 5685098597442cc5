import { crc32, randomString } from '@lib/core';
import type { CollectionModel, CollectionType, FieldModel } from './collection.model';

function field(name: string, type: FieldModel['type'], options: Partial<FieldModel> = {}): FieldModel {
  return { id: `${type}${crc32(name)}`, name, type, system: false, hidden: false, presentable: false, ...options };
}

export function idField(): FieldModel {
  return field('id', 'text', {
    id: 'text3208210256',
    system: true,
    primaryKey: true,
    required: true,
    min: 15,
    max: 15,
    pattern: '^[a-z0-9]+$',
    autogeneratePattern: '[a-z0-9]{15}',
  });
}

export function authSystemFields(): FieldModel[] {
  return [
    field('password', 'password', { system: true, hidden: true, required: true, min: 8, max: 0, cost: 0, pattern: '' }),
    field('tokenKey', 'text', {
      system: true,
      hidden: true,
      required: true,
      min: 30,
      max: 60,
      autogeneratePattern: '[a-zA-Z0-9]{50}',
      pattern: '',
    }),
    field('email', 'email', { system: true, required: true, exceptDomains: null, onlyDomains: null }),
    field('emailVisibility', 'bool', { system: true }),
    field('verified', 'bool', { system: true }),
  ];
}

export function autodateFields(): FieldModel[] {
  return [
    field('created', 'autodate', { onCreate: true, onUpdate: false }),
    field('updated', 'autodate', { onCreate: true, onUpdate: true }),
  ];
}

const template = (subject: string, body: string) => ({ subject, body });

/** Auth collection options with PocketBase's defaults (reference §4). Secrets are fresh per collection. */
export function defaultAuthOptions(): Partial<CollectionModel> {
  const token = (duration: number) => ({ duration, secret: randomString(50) });
  return {
    authRule: '',
    manageRule: null,
    authAlert: {
      enabled: true,
      emailTemplate: template(
        'Login from a new location',
        '<p>We noticed a login to your {APP_NAME} account from a new location.</p>',
      ),
    },
    oauth2: { enabled: false, mappedFields: { id: '', name: '', username: '', avatarURL: '' }, providers: [] },
    passwordAuth: { enabled: true, identityFields: ['email'] },
    mfa: { enabled: false, duration: 600, rule: '' },
    otp: {
      enabled: false,
      duration: 180,
      length: 8,
      emailTemplate: template('OTP for {APP_NAME}', '<p>Your one-time password is: <strong>{OTP}</strong></p>'),
    },
    // 24 hours for every auth collection (issue 4; PocketBase gives users 5 days)
    authToken: token(86400),
    passwordResetToken: token(1800),
    emailChangeToken: token(1800),
    verificationToken: token(86400),
    fileToken: token(180),
    verificationTemplate: template(
      'Verify your {APP_NAME} email',
      '<p>Click to verify: {APP_URL}/_/#/auth/confirm-verification/{TOKEN}</p>',
    ),
    resetPasswordTemplate: template(
      'Reset your {APP_NAME} password',
      '<p>Click to reset: {APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}</p>',
    ),
    confirmEmailChangeTemplate: template(
      'Confirm your {APP_NAME} new email address',
      '<p>Click to confirm: {APP_URL}/_/#/auth/confirm-email-change/{TOKEN}</p>',
    ),
  };
}

/** Index definitions of the auth system fields. */
export function authIndexes(name: string): string[] {
  const t = crc32(name);
  return [
    `CREATE UNIQUE INDEX \`idx_tokenKey_${t}\` ON \`${name}\` (\`tokenKey\`)`,
    `CREATE UNIQUE INDEX \`idx_email_${t}\` ON \`${name}\` (\`email\`) WHERE \`email\` != ''`,
  ];
}

/** A default (unsaved) collection of each type, as `GET /api/collections/meta/scaffolds` returns them. */
export function scaffold(type: CollectionType): CollectionModel {
  const base: CollectionModel = {
    id: '',
    name: '',
    type,
    system: false,
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    fields: [idField()],
    indexes: [],
    created: '',
    updated: '',
  };
  if (type === 'view') {
    return { ...base, viewQuery: '' };
  }
  if (type === 'auth') {
    const options = defaultAuthOptions();
    return { ...base, ...options, fields: [idField(), ...authSystemFields()], indexes: authIndexes('') };
  }
  return base;
}

export const SUPERUSERS_ID = 'pbc_3142635823';
export const USERS_ID = '_pb_users_auth_';

/** The collections a fresh install has (reference §4 "System collections"). */
export function initialCollections(): Partial<CollectionModel>[] {
  const ownerRule = 'id = @request.auth.id';
  return [
    {
      id: SUPERUSERS_ID,
      name: '_superusers',
      type: 'auth',
      system: true,
      fields: [idField(), ...authSystemFields(), ...autodateFields()],
    },
    ...authSupportCollections(),
    {
      id: USERS_ID,
      name: 'users',
      type: 'auth',
      listRule: ownerRule,
      viewRule: ownerRule,
      createRule: '',
      updateRule: ownerRule,
      deleteRule: ownerRule,
      fields: [
        idField(),
        ...authSystemFields(),
        field('name', 'text', { max: 255 }),
        field('avatar', 'file', {
          maxSelect: 1,
          mimeTypes: ['image/jpeg', 'image/png', 'image/svg+xml', 'image/gif', 'image/webp'],
        }),
        ...autodateFields(),
      ],
    },
  ];
}

const OWNER_RULE =
  "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

function refFields(...extra: FieldModel[]): FieldModel[] {
  const sys = (f: FieldModel): FieldModel => ({ ...f, system: true });
  return [
    idField(),
    sys(field('collectionRef', 'text', { required: true })),
    sys(field('recordRef', 'text', { required: true })),
    ...extra.map(sys),
    ...autodateFields().map(sys),
  ];
}

/** The system collections the auth flows keep their state in (external auths, MFA, OTP, login origins). */
function authSupportCollections(): Partial<CollectionModel>[] {
  const base = { type: 'base' as const, system: true, createRule: null, updateRule: null };
  return [
    {
      ...base,
      id: 'pbc_2281828961',
      name: '_externalAuths',
      listRule: OWNER_RULE,
      viewRule: OWNER_RULE,
      deleteRule: OWNER_RULE,
      fields: refFields(field('provider', 'text', { required: true }), field('providerId', 'text', { required: true })),
      indexes: [
        'CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (`collectionRef`, `recordRef`, `provider`)',
        'CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (`collectionRef`, `provider`, `providerId`)',
      ],
    },
    {
      ...base,
      id: 'pbc_2279338944',
      name: '_mfas',
      listRule: OWNER_RULE,
      viewRule: OWNER_RULE,
      deleteRule: null,
      fields: refFields(field('method', 'text', { required: true })),
      indexes: ['CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (`collectionRef`, `recordRef`)'],
    },
    {
      ...base,
      id: 'pbc_1638494021',
      name: '_otps',
      listRule: OWNER_RULE,
      viewRule: OWNER_RULE,
      deleteRule: null,
      fields: refFields(
        field('password', 'password', { hidden: true, required: true, cost: 8 }),
        field('sentTo', 'text', { hidden: true }),
      ),
      indexes: ['CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (`collectionRef`, `recordRef`)'],
    },
    {
      ...base,
      id: 'pbc_4275539003',
      name: '_authOrigins',
      listRule: OWNER_RULE,
      viewRule: OWNER_RULE,
      deleteRule: OWNER_RULE,
      fields: refFields(field('fingerprint', 'text', { required: true })),
      indexes: [
        'CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (`collectionRef`, `recordRef`, `fingerprint`)',
      ],
    },
  ];
}
