import { fieldError, isEmailAddress } from '@lib/core';
import { SETTING_TYPES } from './settings.defaults';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A check another lib adds (the ops lib checks `backups.cron` with its cron parser); returns field errors. */
export type SettingsCheck = (patch: Obj) => Obj;

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
 * The operations settings nestbase acts on (`backups`, `trustedProxy`; their numbers: settings-numbers) checked
 * for values it can honour, and `superuserIPs`, which it can't: a non-empty list is refused rather than stored and ignored.
 */
export function checkOperations(patch: Obj): Obj {
  const out: Obj = {};
  const backups = group(patch.backups, {
    s3: (v) =>
      isObj(v) && Object.entries(SETTING_TYPES.s3).every(([k, t]) => v[k] === undefined || typeof v[k] === t)
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
  for (const [key, errors] of Object.entries({ backups, trustedProxy: proxy })) {
    if (errors) {
      out[key] = errors;
    }
  }
  if (patch.superuserIPs !== undefined && !(Array.isArray(patch.superuserIPs) && patch.superuserIPs.length === 0)) {
    out.superuserIPs = fieldError('validation_not_supported', 'nestbase does not restrict superusers by IP yet.');
  }
  return out;
}

/** Control characters: in a name that goes into a mail header, a CR/LF would start a header of its own. */
const CONTROL = /\p{Cc}/u;

function text(v: unknown): string | null {
  if (typeof v !== 'string' || v.trim() === '') {
    return 'Cannot be blank.';
  }
  return v.length > 255
    ? 'Must be at most 255 characters.'
    : CONTROL.test(v)
      ? 'Must not hold control characters.'
      : null;
}

function httpUrl(v: unknown): string | null {
  try {
    const url = new URL(String(v));
    return ['http:', 'https:'].includes(url.protocol) && !CONTROL.test(String(v)) ? null : 'Must be a valid url.';
  } catch {
    return 'Must be a valid url.';
  }
}

/** `meta` as PocketBase validates it: names required and short, `appURL` a URL, `senderAddress` an email. */
export function checkMeta(patch: Obj): Obj {
  const meta = group(patch.meta, {
    appName: text,
    senderName: text,
    appURL: httpUrl,
    senderAddress: (v) => (typeof v === 'string' && isEmailAddress(v) ? null : 'Must be a valid email address.'),
  });
  return meta ? { meta } : {};
}
