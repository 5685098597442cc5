import { Injectable } from '@nestjs/common';
import { Clock, formatDate, newRecordId } from '@lib/core';
import { Database } from '@lib/database';
import { OtpRepository, type OtpRow } from '../otp/otp.repository';

const COLUMNS = '"id", "collectionRef", "recordRef", "password", "sentTo", "created"';

/** `_otps` through plain parameterised SQL. */
@Injectable()
export class TypeormOtpRepository extends OtpRepository {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    super();
  }

  override async insert(input: Omit<OtpRow, 'id' | 'created'>): Promise<OtpRow> {
    const row: OtpRow = { ...input, id: newRecordId(), created: formatDate(this.clock.date()) };
    await this.database.run(
      'INSERT INTO "_otps" ("id", "collectionRef", "recordRef", "password", "sentTo", "created", "updated") VALUES (?, ?, ?, ?, ?, ?, ?)',
      [row.id, row.collectionRef, row.recordRef, row.password, row.sentTo, row.created, row.created],
    );
    return row;
  }

  override async findById(id: string): Promise<OtpRow | null> {
    const rows = await this.database.query<OtpRow>(`SELECT ${COLUMNS} FROM "_otps" WHERE "id" = ? LIMIT 1`, [id]);
    return rows[0] ?? null;
  }

  override listByRecord(collectionRef: string, recordRef: string): Promise<OtpRow[]> {
    return this.database.query<OtpRow>(
      `SELECT ${COLUMNS} FROM "_otps" WHERE "collectionRef" = ? AND "recordRef" = ? ORDER BY "created" DESC`,
      [collectionRef, recordRef],
    );
  }

  override async delete(id: string): Promise<void> {
    await this.database.run('DELETE FROM "_otps" WHERE "id" = ?', [id]);
  }

  override async deleteOlder(collectionRef: string, recordRef: string, before: string): Promise<void> {
    await this.database.run('DELETE FROM "_otps" WHERE "collectionRef" = ? AND "recordRef" = ? AND "created" < ?', [
      collectionRef,
      recordRef,
      before,
    ]);
  }
}
