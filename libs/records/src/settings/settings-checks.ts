import { fieldError } from '@lib/core';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A check another lib adds (the ops lib checks `backups.cron` with its cron parser); returns field errors. */
export type SettingsCheck = (patch: Obj) => Obj;

const S3_KEYS: Record<string, 'string' | 'boolean'> = {
  enabled: 'boolean',
  bucket: 'string',
  region: 'string',
  endpoint: 'string',
  accessKey: 'string',
  secret: 'string',
  forcePathStyle: 'boolean',
};

const int = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Field errors of one group: `checks` maps a key to its error message when the value is wrong. */
function group(given: unknown, checks: Record<string, (v: unknown) => string | null>): Obj | null {
  if (given === undefined) {
    return null;
  }
  if (!isObj(given)) {
    return { code: 'validation_invalid_value', message: 'Must be an object.' };
  }
  const errors: Obj = {};
  for (const [key, check] of Object.entries(checks)) {
    const problem = given[key] === undefined ? null : check(given[key]);
    if (problem) {
      errors[key] = fieldError('validation_invalid_value', problem);
    }
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/**
 * The operations settings nestbase acts on (`logs`, `backups`, `batch` limits, `trustedProxy`) checked for values
 * it can honour, and `superuserIPs`, which it can't: a non-empty list is refused rather than stored and ignored.
 */
export function checkOperations(patch: Obj): Obj {
  const out: Obj = {};
  const logs = group(patch.logs, {
    maxDays: (v) => (int(v, 0, 100_000) ? null : 'Must be a whole number of days, 0 or more.'),
    minLevel: (v) => (int(v, -1000, 1000) ? null : 'Must be a whole number (-4 debug, 0 info, 4 warn, 8 error).'),
  });
  const batch = group(patch.batch, {
    timeout: (v) => (int(v, 0, 86_400) ? null : 'Must be a whole number of seconds, 0 or more.'),
    maxBodySize: (v) => (int(v, 0) ? null : 'Must be a whole number of bytes, 0 or more.'),
  });
  const backups = group(patch.backups, {
    cron: (v) => (typeof v === 'string' ? null : 'Must be a string.'),
    cronMaxKeep: (v) => (int(v, 1, 100_000) ? null : 'Must be a whole number, 1 or more.'),
    s3: (v) =>
      isObj(v) && Object.entries(S3_KEYS).every(([k, t]) => v[k] === undefined || typeof v[k] === t)
        ? null
        : 'Invalid S3 settings.',
  });
  const proxy = group(patch.trustedProxy, {
    headers: (v) =>
      Array.isArray(v) && v.every((h) => typeof h === 'string' && /^[A-Za-z0-9-]{1,100}$/.test(h))
        ? null
        : 'Must be a list of header names.',
    useLeftmostIP: (v) => (typeof v === 'boolean' ? null : 'Must be a boolean.'),
  });
  for (const [key, errors] of Object.entries({ logs, batch, backups, trustedProxy: proxy })) {
    if (errors) {
      out[key] = errors;
    }
  }
  if (patch.superuserIPs !== undefined && !(Array.isArray(patch.superuserIPs) && patch.superuserIPs.length === 0)) {
    out.superuserIPs = fieldError('validation_not_supported', 'nestbase does not restrict superusers by IP yet.');
  }
  return out;
}
