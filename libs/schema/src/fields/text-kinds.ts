import { isEmailAddress, normalizeDate } from '@lib/core';
import type { FieldError } from '@lib/core';
import type { FieldModel } from '../collection.model';

type OptionErrors = Record<string, FieldError>;
import { asString, blank, FieldKind, scalarText, textColumn } from './field-kind';

const runes = (s: string) => [...s].length;

function checkPattern(field: FieldModel): OptionErrors {
  if (field.pattern) {
    try {
      new RegExp(field.pattern);
    } catch {
      return { pattern: { code: 'validation_invalid_regex', message: 'Invalid regex pattern.' } };
    }
  }
  return {};
}

function domainOf(value: string, isUrl: boolean): string {
  if (isUrl) {
    try {
      return new URL(value).hostname.toLowerCase();
    } catch {
      return '';
    }
  }
  return value.slice(value.lastIndexOf('@') + 1).toLowerCase();
}

function checkDomains(value: string, field: FieldModel, isUrl: boolean) {
  const domain = domainOf(value, isUrl);
  const code = isUrl ? 'validation_url_domain_not_allowed' : 'validation_email_domain_not_allowed';
  if (field.exceptDomains?.length && field.exceptDomains.map((d) => d.toLowerCase()).includes(domain)) {
    return { code, message: 'Domain is not allowed.' };
  }
  if (field.onlyDomains?.length && !field.onlyDomains.map((d) => d.toLowerCase()).includes(domain)) {
    return { code, message: 'Domain is not allowed.' };
  }
  return null;
}

function checkDomainOptions(field: FieldModel): OptionErrors {
  if (field.exceptDomains?.length && field.onlyDomains?.length) {
    return {
      onlyDomains: {
        code: 'validation_conflicting_options',
        message: 'exceptDomains and onlyDomains are mutually exclusive.',
      },
    };
  }
  return {};
}

const stringBase = {
  column: textColumn,
  empty: () => '',
  normalize: (input: unknown) => asString(input),
  toDb: (value: unknown) => value,
  fromDb: (raw: unknown) => scalarText(raw),
};

/** Compiled field patterns by source (the id field's is checked on every create); a collection has few. */
const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source);
    if (patterns.size >= 1000) {
      patterns.clear();
    }
    patterns.set(source, re);
  }
  return re;
}

/** Length (in characters, not bytes) and pattern checks shared by text and password fields. */
function checkText(value: unknown, field: FieldModel, defaultMax: number) {
  const s = value as string;
  if (s === '') {
    return field.required ? blank : null;
  }
  const n = runes(s);
  const min = Number(field.min ?? 0);
  const max = Number(field.max ?? 0) || defaultMax;
  if (min > 0 && n < min) {
    return {
      code: 'validation_min_text_constraint',
      message: `Must be at least ${min} character(s).`,
      params: { min },
    };
  }
  if (n > max) {
    return {
      code: 'validation_max_text_constraint',
      message: `Must be less than ${max} character(s).`,
      params: { max },
    };
  }
  if (field.pattern && !patternOf(field.pattern).test(s)) {
    return { code: 'validation_invalid_format', message: 'Invalid value format.' };
  }
  return null;
}

export const textKind: FieldKind = {
  ...stringBase,
  validate: (value, field) => checkText(value, field, 5000),
  checkOptions: checkPattern,
};

export const emailKind: FieldKind = {
  ...stringBase,
  normalize: (input) => asString(input).trim(),
  validate(value, field) {
    const s = value as string;
    if (s === '') {
      return field.required ? blank : null;
    }
    if (!isEmailAddress(s)) {
      return { code: 'validation_is_email', message: 'Must be a valid email address.' };
    }
    return checkDomains(s, field, false);
  },
  checkOptions: checkDomainOptions,
};

export const urlKind: FieldKind = {
  ...stringBase,
  normalize: (input) => asString(input).trim(),
  validate(value, field) {
    const s = value as string;
    if (s === '') {
      return field.required ? blank : null;
    }
    let ok: boolean;
    try {
      const u = new URL(s);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) {
      return { code: 'validation_invalid_url', message: 'Must be a valid url.' };
    }
    return checkDomains(s, field, true);
  },
  checkOptions: checkDomainOptions,
};

export const editorKind: FieldKind = {
  ...stringBase,
  validate(value, field) {
    const s = value as string;
    if (s === '') {
      return field.required ? blank : null;
    }
    const max = Number(field.maxSize ?? 0) || 5 * 1024 * 1024;
    if (Buffer.byteLength(s) > max) {
      return {
        code: 'validation_content_size_limit',
        message: `The maximum allowed content size is ${max} bytes.`,
        params: { maxSize: max },
      };
    }
    return null;
  },
  checkOptions: () => ({}),
};

export const dateKind: FieldKind = {
  ...stringBase,
  normalize: (input) => normalizeDate(input),
  validate(value, field) {
    const s = value as string;
    if (s === '') {
      return field.required ? blank : null;
    }
    const min = field.min ? normalizeDate(field.min) : '';
    const max = field.max ? normalizeDate(field.max) : '';
    if (min && s < min) {
      return { code: 'validation_min_date_constraint', message: `Must be no earlier than ${min}.`, params: { min } };
    }
    if (max && s > max) {
      return { code: 'validation_max_date_constraint', message: `Must be no later than ${max}.`, params: { max } };
    }
    return null;
  },
  checkOptions(field) {
    const out: Record<string, { code: string; message: string }> = {};
    for (const key of ['min', 'max'] as const) {
      if (field[key] && !normalizeDate(field[key])) {
        out[key] = { code: 'validation_invalid_date', message: 'Must be a valid date.' };
      }
    }
    return out;
  },
};

export const autodateKind: FieldKind = {
  ...stringBase,
  validate: () => null,
  checkOptions(field): OptionErrors {
    return field.onCreate || field.onUpdate
      ? {}
      : { onCreate: { code: 'validation_required', message: 'At least one of onCreate or onUpdate must be set.' } };
  },
};

export const passwordKind: FieldKind = {
  ...stringBase,
  // bcrypt reads at most 72 bytes: PocketBase caps passwords at 71 characters.
  validate: (value, field) => checkText(value, field, 71),
  checkOptions: checkPattern,
};
