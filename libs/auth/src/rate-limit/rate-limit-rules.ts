import type { IncomingHttpHeaders } from 'node:http';
import { realIp } from '@lib/core';
/** One rule of `settings.rateLimits.rules` (reference §0 "Rate limiting"). */
export interface RateLimitRule {
  label: string;
  /** `""` everybody, `@guest` requests without auth, `@auth` requests with auth. */
  audience: string;
  /** Window length in seconds. */
  duration: number;
  maxRequests: number;
}

export interface RateLimitSettings {
  enabled: boolean;
  rules: RateLimitRule[];
  excludedIPs: string[];
}

/**
 * Failed logins are counted per identity from one client address (`<collection>:authFailure`, then
 * `*:authFailure`) and per client address (`<collection>:authFailureIP`, then `*:authFailureIP`), whatever
 * `rateLimits.enabled` says: the lockout setting. A rule with one of these labels in `rateLimits.rules`
 * replaces the default below (`maxRequests: 0` turns that counter off). Keyed on the address, a guesser
 * elsewhere can't lock the real user out.
 */
export const AUTH_FAILURE = 'authFailure';
export const AUTH_FAILURE_IP = 'authFailureIP';
export const DEFAULT_FAILURE_RULES: Record<string, RateLimitRule> = {
  [AUTH_FAILURE]: { label: `*:${AUTH_FAILURE}`, audience: '', duration: 60, maxRequests: 10 },
  [AUTH_FAILURE_IP]: { label: `*:${AUTH_FAILURE_IP}`, audience: '', duration: 60, maxRequests: 30 },
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function toRule(value: unknown): RateLimitRule | null {
  if (!isObj(value) || typeof value.label !== 'string' || value.label === '') {
    return null;
  }
  const duration = Number(value.duration);
  const maxRequests = Number(value.maxRequests);
  if (!Number.isFinite(duration) || duration <= 0 || !Number.isFinite(maxRequests) || maxRequests < 0) {
    return null;
  }
  const audience = value.audience === '@guest' || value.audience === '@auth' ? value.audience : '';
  return { label: value.label, audience, duration, maxRequests: Math.floor(maxRequests) };
}

/** The `rateLimits` group of the settings, with malformed rules left out. */
export function readRateLimits(settings: Record<string, unknown>): RateLimitSettings {
  const group = isObj(settings.rateLimits) ? settings.rateLimits : {};
  const rules = Array.isArray(group.rules) ? group.rules.map(toRule).filter((r): r is RateLimitRule => r !== null) : [];
  const excluded: unknown[] = Array.isArray(group.excludedIPs) ? group.excludedIPs : [];
  return {
    enabled: group.enabled === true,
    rules,
    excludedIPs: excluded.filter((ip): ip is string => typeof ip === 'string'),
  };
}

/** The audiences a request may match: `""` plus `@auth` or `@guest`. */
export function audiencesOf(authenticated: boolean): string[] {
  return ['', authenticated ? '@auth' : '@guest'];
}

/**
 * The first rule matching one of `labels`, in label order (PocketBase's `FindRateLimitRule`): an
 * exact label, or a rule label ending with `/` that prefixes the label plus `/`.
 */
export function findRule(rules: RateLimitRule[], labels: string[], audiences: string[]): RateLimitRule | undefined {
  const allowed = rules.filter((r) => audiences.includes(r.audience));
  for (const label of labels) {
    const exact = allowed.find((r) => r.label === label);
    if (exact) {
      return exact;
    }
    const prefix = allowed.find((r) => r.label.endsWith('/') && `${label}/`.startsWith(r.label));
    if (prefix) {
      return prefix;
    }
  }
  return undefined;
}

/** The client IP as PocketBase finds it (`realIp`), with the settings' `trustedProxy` as stored. */
export function clientIp(remote: string, headers: Record<string, unknown>, trustedProxy: unknown): string {
  const proxy = isObj(trustedProxy) ? trustedProxy : {};
  const names = Array.isArray(proxy.headers) ? proxy.headers.filter((n): n is string => typeof n === 'string') : [];
  return realIp(headers as IncomingHttpHeaders, remote, names, proxy.useLeftmostIP === true);
}
