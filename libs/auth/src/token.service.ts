import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
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
  private readonly jwt = new JwtService({});

  sign(
    collection: CollectionModel,
    record: RecordData,
    type: TokenType,
    extra: Record<string, unknown> = {},
    durationSeconds?: number,
  ): string {
    const options = collection[SECRET_KEY[type]] as { duration: number; secret: string };
    const payload = { id: record.id, type, collectionId: collection.id, ...extra };
    return this.jwt.sign(payload, {
      secret: String(record.tokenKey) + options.secret,
      algorithm: 'HS256',
      expiresIn: durationSeconds ?? options.duration,
      noTimestamp: true,
    });
  }

  /** Reads the claims without verifying: only to find the record whose key verifies them. */
  peek(token: string): TokenClaims | null {
    const claims = this.jwt.decode<TokenClaims | null>(token);
    return claims &&
      typeof claims === 'object' &&
      typeof claims.id === 'string' &&
      typeof claims.collectionId === 'string'
      ? claims
      : null;
  }

  verify(token: string, collection: CollectionModel, record: RecordData, type: TokenType): TokenClaims | null {
    const options = collection[SECRET_KEY[type]] as { secret: string } | undefined;
    if (!options?.secret) {
      return null;
    }
    try {
      const claims = this.jwt.verify<TokenClaims>(token, {
        secret: String(record.tokenKey) + options.secret,
        algorithms: ['HS256'],
      });
      return claims.type === type && claims.id === record.id && claims.collectionId === collection.id ? claims : null;
    } catch {
      return null;
    }
  }
}
