import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Clock, hasRequestAuth, setRequestAuth, type RequestAuth } from '@lib/core';
import { CollectionsRegistry, fromRow, RecordRepository, StoreSync } from '@lib/records';
import { TokenService } from './token.service';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Resolves `Authorization` (raw token or `Bearer <token>`) into the request's auth record. An invalid,
 * expired or foreign token is ignored: the request runs as a guest (reference §0). It first brings the
 * collection and settings caches up to date with other processes sharing the database (StoreSync).
 * A header verified since the last change that could invalidate it is answered from memory (VerifiedTokenCache).
 */
@Injectable()
export class RequestAuthGuard implements CanActivate {
  private readonly verified = new VerifiedTokenCache();

  constructor(
    private readonly tokens: TokenService,
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
    private readonly sync: StoreSync,
    private readonly clock: Clock,
  ) {}

  /**
   * Synchronous when the answer needs no I/O (resolved already by the rate limiter, no header, a header verified
   * since the last change): Nest awaits only a guard that returns a promise, and this one runs on every request.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (hasRequestAuth(request)) {
      return true; // resolved already for the rate limits (RequestRateLimiter)
    }
    const header = request.headers.authorization;
    const syncing = this.sync.ensureFresh();
    const known = syncing === undefined ? this.known(header) : undefined;
    if (known !== undefined) {
      setRequestAuth(request, known);
      return true;
    }
    return this.resolveAfter(syncing, header).then((auth) => {
      setRequestAuth(request, auth);
      return true;
    });
  }

  /** The auth record of an `Authorization` header (null for a guest), after StoreSync's freshness check. */
  resolve(header: string | undefined): Promise<RequestAuth | null> {
    return this.resolveAfter(this.sync.ensureFresh(), header);
  }

  private async resolveAfter(syncing: Promise<void> | undefined, header: string | undefined) {
    if (syncing) {
      await syncing;
    }
    return this.resolveSynced(header);
  }

  /**
   * `resolve` once the caller has awaited a `StoreSync.ensureFresh()` made for this request (the rate limiter's):
   * on PostgreSQL another call would wait for yet another stamp read.
   */
  async resolveSynced(header: string | undefined): Promise<RequestAuth | null> {
    if (!header) {
      return null;
    }
    const mark = this.sync.changeMark();
    const cached = mark === null ? undefined : this.verified.get(header, mark, this.clock.seconds());
    if (cached) {
      return cached;
    }
    const resolved = await this.verify(header);
    if (resolved && mark !== null) {
      this.verified.set(header, mark, resolved.auth, resolved.exp);
    }
    return resolved?.auth ?? null;
  }

  /** What a header resolves to without I/O: null without one, its auth if verified since the last change. */
  private known(header: string | undefined): RequestAuth | null | undefined {
    if (!header) {
      return null;
    }
    const mark = this.sync.changeMark();
    return mark === null ? undefined : this.verified.get(header, mark, this.clock.seconds());
  }

  private async verify(header: string): Promise<{ auth: RequestAuth; exp: number } | null> {
    // `Bearer <t>`, the raw token (the SDK), or the older tutorials' `User <t>` / `Admin <t>`.
    const token = header.replace(/^(bearer|user|admin)\s+/i, '').trim();
    const claims = this.tokens.peek(token);
    if (!claims || claims.type !== 'auth') {
      return null;
    }
    const collection = this.registry.findCollection(claims.collectionId);
    if (!collection || collection.type !== 'auth' || collection.id !== claims.collectionId) {
      return null;
    }
    const row = await this.records.findById(collection, claims.id);
    if (!row) {
      return null;
    }
    const record = fromRow(collection, row);
    const verified = this.tokens.verify(token, collection, record, 'auth');
    if (!verified) {
      return null;
    }
    const auth: RequestAuth = {
      token,
      refreshable: verified.refreshable !== false,
      collectionId: collection.id,
      collectionName: collection.name,
      record,
      isSuperuser: collection.name === '_superusers',
    };
    return { auth, exp: verified.exp ?? 0 };
  }
}
