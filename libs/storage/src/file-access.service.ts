import { Inject, Injectable, Optional } from '@nestjs/common';
import { fireHook, HookPoints, hookRequestFields, UnauthorizedError, type RequestAuth } from '@lib/core';
import { TokenService } from '@lib/auth';
import { CollectionsRegistry, fromRow, RecordRepository, RuleGuard, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

/**
 * Who may read a protected file: the holder of a short-lived file token (`POST /api/files/token`)
 * whose record passes the collection's view rule with `@request.context = "protectedFile"`.
 */
@Injectable()
export class FileAccessService {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
    private readonly rules: RuleGuard,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  /**
   * A file token for the requester (any auth collection, superusers too), through the `onFileTokenRequest` hooks
   * (`e.token` changeable, `e.record` and `e.auth`: the requester; the request: `e.request`, `e.requestInfo()`).
   */
  issueToken(req: RecordRequest): Promise<{ token: string }> {
    const auth = req.auth;
    const collection = auth ? this.registry.findCollection(auth.collectionId) : undefined;
    if (!auth || !collection) {
      throw new UnauthorizedError();
    }
    const event = {
      token: this.tokens.sign(collection, auth.record, 'file'),
      record: auth.record,
      auth,
      ...hookRequestFields(req, {}),
    };
    // tagged with the requester's collection (`onFileTokenRequest(fn, "users")`), whose record `e.record` is
    return fireHook(this.hooks, 'onFileTokenRequest', event, async (e) => ({ token: e.token }), collection);
  }

  /** True when the token's record may view record `id` of `c` (a bad token or a failed rule: false). */
  async canView(c: CollectionModel, id: string, token: string, req: RecordRequest): Promise<boolean> {
    const auth = await this.resolve(token);
    if (!auth) {
      return false;
    }
    const asHolder: RecordRequest = { ...req, auth, context: 'protectedFile' };
    const where = this.rules.conditionOrNull(c, 'viewRule', asHolder);
    return where !== null && (await this.records.findById(c, id, where)) !== null;
  }

  private async resolve(token: string): Promise<RequestAuth | null> {
    const claims = token ? this.tokens.peek(token) : null;
    const collection = claims?.type === 'file' ? this.registry.findCollection(claims.collectionId) : undefined;
    if (!claims || !collection || collection.type !== 'auth' || collection.id !== claims.collectionId) {
      return null;
    }
    const row = await this.records.findById(collection, claims.id);
    const record = row ? fromRow(collection, row) : null;
    if (!record || !this.tokens.verify(token, collection, record, 'file')) {
      return null;
    }
    return {
      collectionId: collection.id,
      collectionName: collection.name,
      record,
      isSuperuser: collection.name === '_superusers',
    };
  }
}
