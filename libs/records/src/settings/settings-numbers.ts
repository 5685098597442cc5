import { fieldError } from '@lib/core';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Allowed range of the numeric settings (`group.key`) and what their error says; any other number must be a
 * non-negative safe integer. The one place settings numbers are checked (rate-limit rules: rate-limit-settings).
 */
const RANGES: Record<string, [number, number, string?]> = {
  'logs.maxDays': [0, 100_000, 'Must be a whole number of days, 0 or more.'],
  'logs.minLevel': [-1000, 1000, 'Must be a whole number (-4 debug, 0 info, 4 warn, 8 error).'],
  'smtp.port': [0, 65535],
  'batch.timeout': [0, 86400, 'Must be a whole number of seconds, 0 or more.'],
  'batch.maxBodySize': [0, Number.MAX_SAFE_INTEGER, 'Must be a whole number of bytes, 0 or more.'],
  'backups.cronMaxKeep': [1, 100_000, 'Must be a whole number, 1 or more.'],
};
const DEFAULT_RANGE: [number, number] = [0, Number.MAX_SAFE_INTEGER];

function rangeError(value: number, [min, max, message]: [number, number, string?]) {
  if (Number.isSafeInteger(value) && value >= min && value <= max) {
    return null;
  }
  return fieldError('validation_invalid_value', message ?? `Must be an integer between ${min} and ${max}.`);
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
  return errors;
}
