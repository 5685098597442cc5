import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { setRequestAuth, type RequestAuth } from '@lib/core';
import { CollectionsRegistry, fromRow, RecordRepository, StoreSync } from '@lib/records';
import { TokenService } from './token.service';

/**
 * Resolves `Authorization` (raw token or `Bearer <token>`) into the request's auth record. An invalid,
 * expired or foreign token is ignored: the request runs as a guest (reference §0). It first brings the
 * collection and settings caches up to date with other processes sharing the database (StoreSync).
 */
@Injectable()
export class RequestAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
    private readonly sync: StoreSync,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const syncing = this.sync.ensureFresh();
    if (syncing) {
      await syncing;
    }
    setRequestAuth(request, await this.resolve(request.headers.authorization));
    return true;
  }

  async resolve(header: string | undefined): Promise<RequestAuth | null> {
    if (!header) {
      return null;
    }
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
    return {
      token,
      refreshable: verified.refreshable !== false,
      collectionId: collection.id,
      collectionName: collection.name,
      record,
      isSuperuser: collection.name === '_superusers',
    };
  }
}
