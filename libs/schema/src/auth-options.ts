import type { FieldError } from '@lib/core';
import type { CollectionModel } from './collection.model';
import { checkOAuth2Providers } from './oauth2-provider-options';
import { defaultAuthOptions } from './system-collections';

const TOKEN_KEYS = ['authToken', 'passwordResetToken', 'emailChangeToken', 'verificationToken', 'fileToken'] as const;
const OBJECT_KEYS = [
  'authAlert',
  'oauth2',
  'passwordAuth',
  'mfa',
  'otp',
  'verificationTemplate',
  'resetPasswordTemplate',
  'confirmEmailChangeTemplate',
] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Responses never carry a provider's `clientSecret`, so a client saving back what it read sends none:
 * a provider entry without the key keeps the secret of the stored entry with the same name.
 */
function keepClientSecrets(oauth2: Obj, stored: unknown): Obj {
  const before = isObj(stored) && Array.isArray(stored.providers) ? (stored.providers as unknown[]) : [];
  if (!Array.isArray(oauth2.providers) || before.length === 0) {
    return oauth2;
  }
  const providers = (oauth2.providers as unknown[]).map((entry) => {
    if (!isObj(entry) || 'clientSecret' in entry) {
      return entry;
    }
    const old = before.find((p) => isObj(p) && p.name === entry.name) as Obj | undefined;
    return typeof old?.clientSecret === 'string' ? { ...entry, clientSecret: old.clientSecret } : entry;
  });
  return { ...oauth2, providers };
}

/**
 * Merges the auth options of a save over the existing (or default) ones. Token secrets are kept
 * unless a new valid one is given; changing authRule rotates the auth token secret (reference §4).
 */
export function mergeAuthOptions(input: Obj, existing: CollectionModel | undefined, errors: Obj): Obj {
  const base: Obj = existing ? { ...existing } : defaultAuthOptions();
  const out: Obj = {};
  for (const key of ['authRule', 'manageRule'] as const) {
    const value = key in input ? input[key] : (base[key] ?? (key === 'authRule' ? '' : null));
    if (value !== null && typeof value !== 'string') {
      errors[key] = { code: 'validation_invalid_rule', message: 'Must be a string or null.' } satisfies FieldError;
    } else if (key === 'manageRule' && value === '') {
      errors[key] = {
        code: 'validation_required',
        message: 'Cannot be blank: use null to disable it.',
      } satisfies FieldError;
    }
    out[key] = value;
  }
  for (const key of OBJECT_KEYS) {
    const given = input[key];
    if (given !== undefined && !isObj(given)) {
      errors[key] = { code: 'validation_invalid_value', message: 'Must be an object.' } satisfies FieldError;
    }
    out[key] = { ...(base[key] as Obj), ...(isObj(given) ? given : {}) };
  }
  out.oauth2 = keepClientSecrets(out.oauth2 as Obj, base.oauth2);
  if (!errors.oauth2) {
    checkOAuth2Providers(out.oauth2, errors);
  }
  for (const key of TOKEN_KEYS) {
    const current = base[key] as Obj;
    const given = isObj(input[key]) ? input[key] : {};
    const merged: Obj = { ...current };
    if (given.duration !== undefined) {
      const d = given.duration;
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 10 || d > 94670856) {
        errors[key] = {
          duration: { code: 'validation_invalid_duration', message: 'Must be between 10 and 94670856 seconds.' },
        };
      }
      merged.duration = d;
    }
    if (typeof given.secret === 'string' && given.secret.length >= 30 && given.secret.length <= 255) {
      merged.secret = given.secret;
    }
    out[key] = merged;
  }
  out.anonymousAuth = mergeAnonymousAuth(input.anonymousAuth, base.anonymousAuth, errors);
  if (existing && out.authRule !== existing.authRule) {
    (out.authToken as Obj).secret = (defaultAuthOptions().authToken as Obj).secret;
  }
  const mfa = out.mfa as Obj;
  if (mfa.enabled === true) {
    const methods = [out.passwordAuth, out.otp, out.oauth2].filter((o) => (o as Obj).enabled === true).length;
    if (methods < 2) {
      errors.mfa = {
        enabled: {
          code: 'validation_mfa_not_enough_auths',
          message: 'MFA requires at least 2 auth methods to be enabled.',
        } satisfies FieldError,
      };
    }
  }
  const identityFields = (out.passwordAuth as Obj).identityFields;
  if (!Array.isArray(identityFields) || identityFields.some((f) => typeof f !== 'string')) {
    errors.passwordAuth = {
      identityFields: { code: 'validation_invalid_value', message: 'Must be a list of field names.' },
    };
  }
  return out;
}

/**
 * `anonymousAuth {enabled [false]}`: lets `POST /api/collections/{c}/auth-anonymously` create guest records
 * (no email, no password) that can later set email + password through a normal update.
 */
function mergeAnonymousAuth(given: unknown, current: unknown, errors: Obj): Obj {
  if (given !== undefined && !isObj(given)) {
    errors.anonymousAuth = { code: 'validation_invalid_value', message: 'Must be an object.' } satisfies FieldError;
  }
  const merged: Obj = { enabled: false, ...(isObj(current) ? current : {}), ...(isObj(given) ? given : {}) };
  if (typeof merged.enabled !== 'boolean') {
    errors.anonymousAuth = { enabled: { code: 'validation_invalid_value', message: 'Must be a boolean.' } };
  }
  return merged;
}

/** Removes the secrets from an auth collection's JSON before it leaves the server. */
export function withoutSecrets(collection: CollectionModel): CollectionModel {
  if (collection.type !== 'auth') {
    return collection;
  }
  const out: Obj = { ...collection };
  for (const key of TOKEN_KEYS) {
    if (isObj(out[key])) {
      const { secret: _secret, ...rest } = out[key];
      out[key] = rest;
    }
  }
  if (isObj(out.oauth2) && Array.isArray(out.oauth2.providers)) {
    const oauth2 = out.oauth2;
    out.oauth2 = {
      ...oauth2,
      providers: (oauth2.providers as Obj[]).map(({ clientSecret: _c, ...rest }) => rest),
    };
  }
  return out as CollectionModel;
}
