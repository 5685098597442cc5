import type { S3Config } from './app-config';

type Env = Record<string, string | undefined>;

/**
 * File storage in S3 from `S3_*` (used when the settings' `s3.enabled` is off). `S3_BUCKET` turns it on; the
 * endpoint or credentials without it, or a key without its secret, would be ignored in silence: problems.
 */
export function s3FromEnv(env: Env, problems: string[]): S3Config {
  const get = (key: string): string => env[key] ?? '';
  const config: S3Config = {
    enabled: get('S3_BUCKET') !== '',
    endpoint: get('S3_ENDPOINT'),
    bucket: get('S3_BUCKET'),
    region: get('S3_REGION'),
    accessKey: get('S3_ACCESS_KEY'),
    secret: get('S3_SECRET'),
    forcePathStyle: ['1', 'true'].includes(get('S3_FORCE_PATH_STYLE').toLowerCase()),
  };
  // (a region or path style alone are harmless defaults, as in .env.example and the Helm values)
  const orphans = ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET'].filter((key) => get(key) !== '');
  if (!config.enabled && orphans.length > 0) {
    problems.push(`${orphans.join(', ')} set without S3_BUCKET: set S3_BUCKET to store files in S3, or unset them`);
  }
  if ((config.accessKey === '') !== (config.secret === '')) {
    const [set, missing] = config.accessKey === '' ? ['S3_SECRET', 'S3_ACCESS_KEY'] : ['S3_ACCESS_KEY', 'S3_SECRET'];
    problems.push(`${set} is set without ${missing}: set both or neither`);
  }
  if (config.endpoint !== '' && !/^https?:\/\/[^\s/]+/.test(config.endpoint)) {
    problems.push(`S3_ENDPOINT must be an http:// or https:// URL, got "${config.endpoint}"`);
  }
  return config;
}
