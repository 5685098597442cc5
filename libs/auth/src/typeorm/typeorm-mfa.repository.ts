import { Injectable } from '@nestjs/common';
import { Clock, formatDate, newRecordId } from '@lib/core';
import { Database } from '@lib/database';
import { MfaRepository, type MfaRow } from '../mfa/mfa.repository';

const COLUMNS = '"id", "collectionRef", "recordRef", "method", "created"';

/** `_mfas` through plain parameterised SQL. */
@Injectable()
export class TypeormMfaRepository extends MfaRepository {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    super();
  }

  override async insert(collectionRef: string, recordRef: string, method: string): Promise<MfaRow> {
    const row: MfaRow = { id: newRecordId(), collectionRef, recordRef, method, created: formatDate(this.clock.date()) };
    await this.database.run(
      'INSERT INTO "_mfas" ("id", "collectionRef", "recordRef", "method", "created", "updated") VALUES (?, ?, ?, ?, ?, ?)',
      [row.id, collectionRef, recordRef, method, row.created, row.created],
    );
    return row;
  }

  override async findById(id: string): Promise<MfaRow | null> {
    const rows = await this.database.query<MfaRow>(`SELECT ${COLUMNS} FROM "_mfas" WHERE "id" = ? LIMIT 1`, [id]);
    return rows[0] ?? null;
  }

  override async delete(id: string): Promise<void> {
    await this.database.run('DELETE FROM "_mfas" WHERE "id" = ?', [id]);
  }

  override async deleteOlder(collectionRef: string, recordRef: string, before: string): Promise<void> {
    await this.database.run('DELETE FROM "_mfas" WHERE "collectionRef" = ? AND "recordRef" = ? AND "created" < ?', [
      collectionRef,
      recordRef,
      before,
    ]);
  }
}
