export type Settings = Record<string, Record<string, unknown> | unknown[]>;

/** PocketBase's default settings (reference §2.9). */
export function defaultSettings(): Settings {
  return {
    meta: {
      appName: 'Acme',
      appURL: 'http://localhost:8090',
      senderName: 'Support',
      senderAddress: 'support@example.com',
      hideControls: false,
      accentColor: '',
    },
    logs: { maxDays: 5, minLevel: 0, logIP: true, logAuthId: false },
    smtp: {
      enabled: false,
      host: 'smtp.example.com',
      port: 587,
      username: '',
      password: '',
      authMethod: '',
      tls: false,
      localName: '',
    },
    s3: { enabled: false, bucket: '', region: '', endpoint: '', accessKey: '', secret: '', forcePathStyle: false },
    backups: {
      cron: '',
      cronMaxKeep: 3,
      s3: { enabled: false, bucket: '', region: '', endpoint: '', accessKey: '', secret: '', forcePathStyle: false },
    },
    batch: { enabled: false, maxRequests: 50, timeout: 3, maxBodySize: 0 },
    rateLimits: {
      enabled: false,
      rules: [
        { label: '*:auth', audience: '', duration: 3, maxRequests: 2 },
        { label: '*:create', audience: '', duration: 5, maxRequests: 20 },
        { label: '/api/batch', audience: '', duration: 1, maxRequests: 3 },
        { label: '/api/', audience: '', duration: 10, maxRequests: 300 },
      ],
      excludedIPs: [],
    },
    trustedProxy: { headers: [], useLeftmostIP: false },
    // nestbase's own: GET /api/openapi.json and /api/docs for anyone (superusers only by default: it shows the schema)
    openapi: { public: false },
    superuserIPs: [],
  };
}

/** Expected primitive type of each known settings key, for validation. */
export const SETTING_TYPES: Record<string, Record<string, 'string' | 'number' | 'boolean'>> = {
  meta: {
    appName: 'string',
    appURL: 'string',
    senderName: 'string',
    senderAddress: 'string',
    hideControls: 'boolean',
    accentColor: 'string',
  },
  logs: { maxDays: 'number', minLevel: 'number', logIP: 'boolean', logAuthId: 'boolean' },
  smtp: {
    enabled: 'boolean',
    host: 'string',
    port: 'number',
    username: 'string',
    password: 'string',
    authMethod: 'string',
    tls: 'boolean',
    localName: 'string',
  },
  s3: {
    enabled: 'boolean',
    bucket: 'string',
    region: 'string',
    endpoint: 'string',
    accessKey: 'string',
    secret: 'string',
    forcePathStyle: 'boolean',
  },
  batch: { enabled: 'boolean', maxRequests: 'number', timeout: 'number', maxBodySize: 'number' },
  backups: { cron: 'string', cronMaxKeep: 'number' },
  openapi: { public: 'boolean' },
};
