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
  type RateLimitRule,
  type RateLimitSettings,
} from './rate-limit-rules';
import { TooManyRequestsError } from './too-many-requests.error';

/** Who is asking, as far as rate limits care. `exempt`: superusers and `rateLimits.excludedIPs`. */
export interface RateLimitClient {
  ip: string;
  authenticated: boolean;
  exempt: boolean;
}

/** The subject of a login attempt: the collection, the typed identity (if any) and the client. */
export interface AttemptScope {
  client: RateLimitClient;
  collection: CollectionModel;
  identity: string | null;
}

/**
 * The counters behind `settings.rateLimits` (applied to every route by `RequestRateLimiter`) and the
 * brute-force counters of failed logins (always on; see `rate-limit-rules.ts`). A failed login counts per
 * identity *and client address* and per client address: a guesser elsewhere can't lock the real user out.
 */
@Injectable()
export class RateLimitService {
  private readonly parsed = new WeakMap<object, RateLimitSettings>();

  constructor(
    private readonly store: RateLimitStore,
    private readonly settings: SettingsService,
  ) {}

  /** The rate limits of the cached settings, parsed once per settings version; null when not cached. */
  cachedLimits(): RateLimitSettings | null {
    const settings = this.settings.cached();
    return settings ? this.limitsOf(settings) : null;
  }

  async limits(): Promise<{ limits: RateLimitSettings; trustedProxy: unknown }> {
    const settings = await this.settings.get();
    return { limits: this.limitsOf(settings), trustedProxy: settings.trustedProxy };
  }

  async client(remoteIp: string, headers: Record<string, unknown>, auth: RequestAuth | null): Promise<RateLimitClient> {
    const { limits, trustedProxy } = await this.limits();
    return this.clientOf(limits, trustedProxy, remoteIp, headers, auth);
  }

  /**
   * The client address of a service-level request (`clientRequest(req)`: Fastify's address and the headers as
   * `@request.headers` names them), with the settings' trusted proxy headers applied as for the rate limits.
   */
  async addressOf(req: { ip?: string; headers: Record<string, string> }): Promise<string> {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.replace(/_/g, '-'), v]));
    const { trustedProxy } = await this.limits();
    return clientIp(req.ip ?? '', headers, trustedProxy);
  }

  clientOf(
    limits: RateLimitSettings,
    trustedProxy: unknown,
    remoteIp: string,
    headers: Record<string, unknown>,
    auth: RequestAuth | null,
  ): RateLimitClient {
    const ip = clientIp(remoteIp, headers, trustedProxy);
    const excluded = limits.excludedIPs.includes(ip);
    return { ip, authenticated: auth !== null, exempt: excluded || auth?.isSuperuser === true };
  }

  /**
   * 429 when the first rule matching `labels` for the client's audience has seen more than `maxRequests`
   * from this client address in its window. `limiter` names the counter (PocketBase's limiter id).
   */
  async check(limits: RateLimitSettings, client: RateLimitClient, labels: string[], limiter: string): Promise<void> {
    const rule = findRule(limits.rules, labels, audiencesOf(client.authenticated));
    if (!rule) {
      return;
    }
    const key = `route:${limiter}${rule.label}${rule.audience}:${client.ip}`;
    if ((await this.store.hit(key, rule.duration)) > rule.maxRequests) {
      throw new TooManyRequestsError();
    }
  }

  /** 429 while the identity (from this address) or the address has used up its failed attempts. */
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

  /** A successful login clears the identity's failures from this address (not the address's own count). */
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

  private limitsOf(settings: Record<string, unknown>): RateLimitSettings {
    let limits = this.parsed.get(settings);
    if (!limits) {
      limits = readRateLimits(settings);
      this.parsed.set(settings, limits);
    }
    return limits;
  }

  private async failureCounters(scope: AttemptScope): Promise<{ key: string; rule: RateLimitRule }[]> {
    if (scope.client.exempt) {
      return [];
    }
    const { limits } = await this.limits();
    const audiences = audiencesOf(scope.client.authenticated);
    const ruleFor = (tag: string) =>
      findRule(limits.rules, [`${scope.collection.name}:${tag}`, `*:${tag}`], audiences) ?? DEFAULT_FAILURE_RULES[tag];
    const counters = [{ key: `fail:ip:${scope.collection.id}:${scope.client.ip}`, rule: ruleFor(AUTH_FAILURE_IP) }];
    if (scope.identity !== null) {
      counters.push({ key: this.identityKey(scope), rule: ruleFor(AUTH_FAILURE) });
    }
    return counters.filter((c) => c.rule.maxRequests > 0);
  }

  /** The identity's counter is per client address, so failures elsewhere never lock this client out. */
  private identityKey(scope: AttemptScope): string {
    return `fail:id:${scope.collection.id}:${scope.client.ip}:${scope.identity ?? ''}`;
  }
}
