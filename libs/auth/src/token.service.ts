import { Injectable } from '@nestjs/common';
import { Clock } from '@lib/core';
import { decodeClaims, signHs256, verifyHs256 } from './hs256';
import type { CollectionModel } from '@lib/schema';
import type { RecordData } from '@lib/records';

export type TokenType = 'auth' | 'file' | 'verification' | 'passwordReset' | 'emailChange';

const SECRET_KEY: Record<TokenType, string> = {
  auth: 'authToken',
  file: 'fileToken',
  verification: 'verificationToken',
  passwordReset: 'passwordResetToken',
  emailChange: 'emailChangeToken',
};

export interface TokenClaims {
  id: string;
  type: TokenType;
  collectionId: string;
  refreshable?: boolean;
  exp?: number;
  [claim: string]: unknown;
}

/** PocketBase's JWTs: HS256, key = record.tokenKey + the collection's per-type secret (reference §7). */
@Injectable()
export class TokenService {
  constructor(private readonly clock: Clock) {}

  sign(
    collection: CollectionModel,
    record: RecordData,
    type: TokenType,
    extra: Record<string, unknown> = {},
    durationSeconds?: number,
  ): string {
    const options = collection[SECRET_KEY[type]] as { duration: number; secret: string };
    const exp = Math.floor(this.clock.seconds()) + (durationSeconds ?? options.duration);
    return signHs256(
      { id: record.id, type, collectionId: collection.id, ...extra, exp },
      String(record.tokenKey) + options.secret,
    );
  }

  /** Reads the claims without verifying: only to find the record whose key verifies them. */
  peek(token: string): TokenClaims | null {
    const claims = decodeClaims(token);
    return claims && typeof claims.id === 'string' && typeof claims.collectionId === 'string'
      ? (claims as TokenClaims)
      : null;
  }

  verify(token: string, collection: CollectionModel, record: RecordData, type: TokenType): TokenClaims | null {
    const options = collection[SECRET_KEY[type]] as { secret: string } | undefined;
    if (!options?.secret) {
      return null;
    }
    const claims = verifyHs256(
      token,
      String(record.tokenKey) + options.secret,
      this.clock.seconds(),
    ) as TokenClaims | null;
    return claims && claims.type === type && claims.id === record.id && claims.collectionId === collection.id
      ? claims
      : null;
  }
}
