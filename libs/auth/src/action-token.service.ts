import { Injectable } from '@nestjs/common';
import { fieldError, ValidationFailed } from '@lib/core';
import { CollectionsRegistry, fromRow, RecordRepository, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { VALIDATION_MESSAGE } from './auth-input';
import { TokenService, type TokenClaims, type TokenType } from './token.service';

export interface ResolvedToken {
  record: RecordData;
  claims: TokenClaims;
}

const invalid = (code: string, message: string) =>
  new ValidationFailed({ token: fieldError(code, message) }, VALIDATION_MESSAGE);

/** Checks the tokens of the confirm-* endpoints (verification, password reset, email change). */
@Injectable()
export class ActionTokenService {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
  ) {}

  /**
   * The record a `type` token of collection `c` belongs to. Field errors on `token`: `validation_required`,
   * `validation_invalid_token` (malformed, forged, expired, wrong type, rotated key, deleted record),
   * `validation_token_collection_mismatch` (a valid token of another auth collection).
   */
  async resolve(c: CollectionModel, token: unknown, type: TokenType): Promise<ResolvedToken> {
    if (typeof token !== 'string' || token === '') {
      throw invalid('validation_required', 'Cannot be blank.');
    }
    const claims = this.tokens.peek(token);
    const owner = claims ? this.registry.findCollection(claims.collectionId) : undefined;
    if (!claims || claims.type !== type || !owner || owner.type !== 'auth' || owner.id !== claims.collectionId) {
      throw invalid('validation_invalid_token', 'Invalid or expired token.');
    }
    const row = await this.records.findById(owner, claims.id);
    const record = row ? fromRow(owner, row) : null;
    const verified = record ? this.tokens.verify(token, owner, record, type) : null;
    if (!record || !verified || typeof verified.email !== 'string') {
      throw invalid('validation_invalid_token', 'Invalid or expired token.');
    }
    if (owner.id !== c.id) {
      throw invalid('validation_token_collection_mismatch', 'The provided token is for different auth collection.');
    }
    return { record, claims: verified };
  }
}
