import { Injectable } from '@nestjs/common';
import { newRecordId, nowString } from '@lib/core';
import { Database } from '@lib/database';
import { AuthOriginRepository, type AuthOrigin } from '../auth-origin.repository';

@Injectable()
export class TypeormAuthOriginRepository extends AuthOriginRepository {
  constructor(private readonly database: Database) {
    super();
  }

  override findByRecord(collectionId: string, recordId: string): Promise<AuthOrigin[]> {
    return this.database.query<AuthOrigin>(
      'SELECT "id", "fingerprint", "updated" FROM "_authOrigins" WHERE "collectionRef" = ? AND "recordRef" = ? ORDER BY "updated" DESC, "id" DESC',
      [collectionId, recordId],
    );
  }

  override async insert(collectionId: string, recordId: string, fingerprint: string): Promise<void> {
    const now = nowString();
    await this.write(
      'INSERT INTO "_authOrigins" ("id", "collectionRef", "recordRef", "fingerprint", "created", "updated") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [newRecordId(), collectionId, recordId, fingerprint, now, now],
    );
  }

  override async touch(id: string): Promise<void> {
    await this.write('UPDATE "_authOrigins" SET "updated" = ? WHERE "id" = ?', [nowString(), id]);
  }

  override async prune(collectionId: string, recordId: string, keep: number): Promise<void> {
    await this.write(
      'DELETE FROM "_authOrigins" WHERE "collectionRef" = ? AND "recordRef" = ? AND "id" NOT IN (SELECT "id" FROM "_authOrigins" WHERE "collectionRef" = ? AND "recordRef" = ? ORDER BY "updated" DESC, "id" DESC LIMIT ?)',
      [collectionId, recordId, collectionId, recordId, keep],
    );
  }

  /** Writes go through the serialized transaction queue (one SQLite writer per process). */
  private async write(sql: string, params: unknown[]): Promise<void> {
    await this.database.transaction((tx) => tx.run(sql, params));
  }
}
