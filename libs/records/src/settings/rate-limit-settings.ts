import { AUTH_FAILURE_ACTIONS, fieldError, RATE_LIMIT_ACTIONS, type FieldError } from '@lib/core';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** PocketBase's label syntax: `METHOD /path`, `/path`, `collection:action`, `*:action` (or a bare tag). */
const LABEL = /^(\w+ \/[\w/-]*|\/[\w/-]*|\w+:\w+|\*:\w+|\w+)$/;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const AUDIENCES = new Set(['', '@guest', '@auth']);
const MAX_WINDOW_SECONDS = 31_536_000;
const MAX_RULES = 1000;

/** Why nestbase can't honour `label` (no route would ever match it), or null when it can. */
function labelProblem(label: string): FieldError | null {
  if (!LABEL.test(label)) {
    return fieldError('validation_match_invalid', 'Must be METHOD /path, /path, collection:action or *:action.');
  }
  if (label.startsWith('/')) {
    return null;
  }
  const space = label.indexOf(' ');
  if (space > 0) {
    return METHODS.has(label.slice(0, space))
      ? null
      : fieldError('validation_unsupported_rate_limit_label', `Unknown HTTP method in "${label}".`);
  }
  const action = label.split(':')[1];
  if (action === undefined) {
    return fieldError(
      'validation_unsupported_rate_limit_label',
      `"${label}" is a bare tag: no nestbase route carries it (use METHOD /path, /path or collection:action).`,
    );
  }
  return RATE_LIMIT_ACTIONS.has(action)
    ? null
    : fieldError('validation_unsupported_rate_limit_label', `No route has the action "${action}" (in "${label}").`);
}

function ruleErrors(rule: unknown): Obj | null {
  if (!isObj(rule)) {
    return { label: fieldError('validation_invalid_value', 'Must be an object.') };
  }
  const errors: Obj = {};
  const label = typeof rule.label === 'string' ? rule.label : '';
  const problem = label === '' ? fieldError('validation_required', 'Cannot be blank.') : labelProblem(label);
  if (problem) {
    errors.label = problem;
  }
  const failureCounter = AUTH_FAILURE_ACTIONS.has(label.split(':')[1] ?? '');
  const min = failureCounter ? 0 : 1;
  for (const key of ['duration', 'maxRequests'] as const) {
    const value = rule[key];
    const lowest = key === 'duration' ? 1 : min;
    // A window of at most a year; a count that stays exact (a huge one would be a timer or a counter overflow).
    const highest = key === 'duration' ? MAX_WINDOW_SECONDS : Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < lowest) {
      errors[key] = fieldError('validation_min_number_constraint', `Must be an integer of at least ${lowest}.`, {
        min: lowest,
      });
    } else if (value > highest) {
      errors[key] = fieldError('validation_max_number_constraint', `Must be no more than ${highest}.`, {
        max: highest,
      });
    }
  }
  if (rule.audience !== undefined && !AUDIENCES.has(rule.audience as string)) {
    errors.audience = fieldError('validation_in_invalid', 'Must be "", "@guest" or "@auth".');
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/**
 * The field errors of a `rateLimits` group as it would be stored (PocketBase's checks plus a refusal of every
 * rule nestbase couldn't honour), or null when it is valid. Nothing invalid is ever stored silently.
 */
export function rateLimitErrors(group: unknown): Obj | null {
  if (!isObj(group)) {
    return { rateLimits: fieldError('validation_invalid_value', 'Must be an object.') };
  }
  const errors: Obj = {};
  if (typeof group.enabled !== 'boolean') {
    errors.enabled = fieldError('validation_invalid_value', 'Must be a boolean.');
  }
  const rules = group.rules;
  if (!Array.isArray(rules) || rules.length > MAX_RULES) {
    errors.rules = fieldError('validation_invalid_value', `Must be a list of at most ${MAX_RULES} rules.`);
  } else {
    const ruleErrs: Obj = {};
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      const found = ruleErrors(rule);
      const key = isObj(rule) ? JSON.stringify([rule.label, rule.audience ?? '']) : '';
      if (!found && seen.has(key)) {
        ruleErrs[i] = {
          label: fieldError('validation_conflicting_rate_limit_rule', 'A rule with this label and audience exists.'),
        };
      } else if (found) {
        ruleErrs[i] = found;
      }
      seen.add(key);
    });
    if (Object.keys(ruleErrs).length > 0) {
      errors.rules = ruleErrs;
    } else if (group.enabled === true && rules.length === 0) {
      errors.rules = fieldError('validation_required', 'Cannot be blank when rate limiting is enabled.');
    }
  }
  const ips = group.excludedIPs;
  if (ips !== undefined && (!Array.isArray(ips) || ips.some((ip) => typeof ip !== 'string' || ip.trim() === ''))) {
    errors.excludedIPs = fieldError('validation_invalid_value', 'Must be a list of IP addresses.');
  }
  const unknown = Object.keys(group).filter((key) => !['enabled', 'rules', 'excludedIPs'].includes(key));
  for (const key of unknown) {
    errors[key] = fieldError('validation_unknown_setting', `Unknown setting rateLimits.${key}.`);
  }
  return Object.keys(errors).length > 0 ? errors : null;
}
