import { Injectable } from '@nestjs/common';
import type { RequestAuth } from '@lib/core';
import { SettingsService } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RateLimitStore } from './rate-limit.store';
import {
  AUTH_FAILURE,
  AUTH_FAILURE_IP,
  audiencesOf,
  clientIp,
  DEFAULT_FAILURE_RULES,
  findRule,
  readRateLimits,
  routeLabels,
  type RateLimitRule,
} from './rate-limit-rules';
import { TooManyRequestsError } from './too-many-requests.error';

/** Who is asking, as far as rate limits care. `exempt`: superusers and `rateLimits.excludedIPs`. */
export interface RateLimitClient {
  ip: string;
  authenticated: boolean;
  exempt: boolean;
}

/** A collection route: its action tags (`authWithPassword`, `auth`, …) and its path. */
export interface RouteScope {
  collection?: CollectionModel;
  tags: string[];
  method: string;
  path: string;
  /** The route pattern (`/api/collections/:collection/auth-with-password`): one limiter per route. */
  pattern: string;
}

/** The subject of a login attempt: the collection, the typed identity (if any) and the client. */
export interface AttemptScope {
  client: RateLimitClient;
  collection: CollectionModel;
  identity: string | null;
}

/**
 * The rate limits of `settings.rateLimits` for collection routes (only when `enabled`), and the
 * brute-force counters of failed logins (always on; see `rate-limit-rules.ts`).
 */
@Injectable()
export class RateLimitService {
  constructor(
    private readonly store: RateLimitStore,
    private readonly settings: SettingsService,
  ) {}

  async client(remoteIp: string, headers: Record<string, unknown>, auth: RequestAuth | null): Promise<RateLimitClient> {
    const settings = await this.settings.get();
    const ip = clientIp(remoteIp, headers, settings.trustedProxy);
    const excluded = readRateLimits(settings).excludedIPs.includes(ip);
    return { ip, authenticated: auth !== null, exempt: excluded || auth?.isSuperuser === true };
  }

  /** 429 when the route's rule (if any) has seen more than `maxRequests` from this IP in its window. */
  async checkRoute(client: RateLimitClient, route: RouteScope): Promise<void> {
    const limits = readRateLimits(await this.settings.get());
    if (!limits.enabled || client.exempt) {
      return;
    }
    const labels = routeLabels(route.collection?.name, route.tags, route.method, route.path);
    const rule = findRule(limits.rules, labels, audiencesOf(client.authenticated));
    if (!rule) {
      return;
    }
    const key = `route:${route.collection?.id ?? ''}:${route.pattern}:${route.tags.join(',')}:${rule.audience}:${client.ip}`;
    if ((await this.store.hit(key, rule.duration)) > rule.maxRequests) {
      throw new TooManyRequestsError();
    }
  }

  /** 429 while the identity or the client IP has used up its failed attempts. */
  async assertNotLockedOut(scope: AttemptScope): Promise<void> {
    for (const { key, rule } of await this.failureCounters(scope)) {
      if ((await this.store.count(key)) >= rule.maxRequests) {
        throw new TooManyRequestsError();
      }
    }
  }

  async recordFailure(scope: AttemptScope): Promise<void> {
    for (const { key, rule } of await this.failureCounters(scope)) {
      await this.store.hit(key, rule.duration);
    }
  }

  /** A successful login clears the identity's failures (not the IP's). */
  async recordSuccess(scope: AttemptScope): Promise<void> {
    if (scope.identity !== null) {
      await this.store.reset(this.identityKey(scope));
    }
  }

  /** A fixed limit outside the settings (OTP attempts per record): 429 with `message` once `max` is reached. */
  async assertUnder(key: string, max: number, message: string): Promise<void> {
    if ((await this.store.count(key)) >= max) {
      throw new TooManyRequestsError(message);
    }
  }

  async addHit(key: string, durationSeconds: number): Promise<void> {
    await this.store.hit(key, durationSeconds);
  }

  private async failureCounters(scope: AttemptScope): Promise<{ key: string; rule: RateLimitRule }[]> {
    if (scope.client.exempt) {
      return [];
    }
    const limits = readRateLimits(await this.settings.get());
    const audiences = audiencesOf(scope.client.authenticated);
    const ruleFor = (tag: string) =>
      findRule(limits.rules, [`${scope.collection.name}:${tag}`, `*:${tag}`], audiences) ?? DEFAULT_FAILURE_RULES[tag];
    const counters = [{ key: `fail:ip:${scope.collection.id}:${scope.client.ip}`, rule: ruleFor(AUTH_FAILURE_IP) }];
    if (scope.identity !== null) {
      counters.push({ key: this.identityKey(scope), rule: ruleFor(AUTH_FAILURE) });
    }
    return counters.filter((c) => c.rule.maxRequests > 0);
  }

  private identityKey(scope: AttemptScope): string {
    return `fail:id:${scope.collection.id}:${scope.identity ?? ''}`;
  }
}
