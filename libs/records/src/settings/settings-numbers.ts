import { fieldError } from '@lib/core';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Allowed range of numeric settings (`group.key`); any other number must be a non-negative safe integer. */
const RANGES: Record<string, [number, number]> = {
  'logs.minLevel': [-1000, 1000],
  'smtp.port': [0, 65535],
  'batch.timeout': [0, 86400],
};
const DEFAULT_RANGE: [number, number] = [0, Number.MAX_SAFE_INTEGER];

function rangeError(value: number, [min, max]: [number, number]): ReturnType<typeof fieldError> | null {
  if (Number.isSafeInteger(value) && value >= min && value <= max) {
    return null;
  }
  return fieldError('validation_invalid_value', `Must be an integer between ${min} and ${max}.`);
}

/**
 * Range errors of the numbers of a settings patch (their types are checked apart): a huge, fractional or
 * infinite number (`1e400` parses as Infinity) is a 400, never stored or used as a timer.
 */
export function numberErrors(patch: Obj, types: Record<string, Record<string, string>>): Obj {
  const errors: Obj = {};
  for (const [group, keys] of Object.entries(types)) {
    const given = patch[group];
    if (!isObj(given)) {
      continue;
    }
    for (const [key, type] of Object.entries(keys)) {
      const value = given[key];
      const error =
        type === 'number' && typeof value === 'number'
          ? rangeError(value, RANGES[`${group}.${key}`] ?? DEFAULT_RANGE)
          : null;
      if (error) {
        errors[group] = { ...(errors[group] as Obj | undefined), [key]: error };
      }
    }
  }
  const rules = isObj(patch.rateLimits) ? patch.rateLimits.rules : undefined;
  if (Array.isArray(rules)) {
    const ruleErrors: Obj = {};
    rules.forEach((rule: unknown, i) => {
      const r = isObj(rule) ? rule : {};
      const duration = typeof r.duration === 'number' ? rangeError(r.duration, [1, 31_536_000]) : null;
      const max = typeof r.maxRequests === 'number' ? rangeError(r.maxRequests, DEFAULT_RANGE) : null;
      if (duration || max) {
        ruleErrors[String(i)] = { ...(duration ? { duration } : {}), ...(max ? { maxRequests: max } : {}) };
      }
    });
    if (Object.keys(ruleErrors).length > 0) {
      errors.rateLimits = { rules: ruleErrors };
    }
  }
  return errors;
}
