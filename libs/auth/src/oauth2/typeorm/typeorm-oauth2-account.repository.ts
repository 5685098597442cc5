import { Injectable } from '@nestjs/common';
import { Database, quoteIdentifier as quote, type SqlExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';
import { OAuth2AccountRepository } from '../oauth2-account.repository';

@Injectable()
export class TypeormOAuth2AccountRepository extends OAuth2AccountRepository {
  constructor(private readonly database: Database) {
    super();
  }

  override async findLink(
    collectionId: string,
    provider: string,
    providerId: string,
    db: SqlExecutor,
  ): Promise<{ id: string; recordRef: string } | null> {
    const rows = await db.query<{ id: string; recordRef: string }>(
      'SELECT "id", "recordRef" FROM "_externalAuths" WHERE "collectionRef" = ? AND "provider" = ? AND "providerId" = ? LIMIT 1',
      [collectionId, provider, providerId],
    );
    return rows[0] ?? null;
  }

  override async findLinkIds(collectionId: string, recordId: string, db: SqlExecutor): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      'SELECT "id" FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ?',
      [collectionId, recordId],
    );
    return rows.map((r) => r.id);
  }

  override async findIdByEmail(c: CollectionModel, email: string, db: SqlExecutor): Promise<string | null> {
    const rows = await db.query<{ id: string }>(
      `SELECT "id" FROM ${quote(c.name)} WHERE ${this.database.equalsNoCase('"email"')} LIMIT 1`,
      [email],
    );
    return rows[0]?.id ?? null;
  }

  override async isTaken(c: CollectionModel, field: string, value: unknown, db: SqlExecutor): Promise<boolean> {
    if (!c.fields.some((f) => f.name === field)) {
      return false;
    }
    const sql = `SELECT 1 FROM ${quote(c.name)} WHERE ${this.database.equalsNoCase(quote(field))} LIMIT 1`;
    const rows = await db.query(sql, [value]);
    return rows.length > 0;
  }
}
