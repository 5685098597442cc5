import { Injectable } from '@nestjs/common';
import { Database } from '@lib/database';
import { fromRow, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { AuthRecordRepository } from '../auth-record.repository';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

@Injectable()
export class TypeormAuthRecordRepository extends AuthRecordRepository {
  constructor(private readonly database: Database) {
    super();
  }

  override async findByEmail(c: CollectionModel, email: string): Promise<RecordData | null> {
    const rows = await this.database.query(`SELECT * FROM ${quote(c.name)} WHERE "email" = ? LIMIT 1`, [email]);
    return rows[0] ? fromRow(c, rows[0]) : null;
  }

  override async findByIdentity(c: CollectionModel, field: string, value: string): Promise<RecordData | null> {
    if (!c.fields.some((f) => f.name === field)) {
      return null;
    }
    const rows = await this.database.query(`SELECT * FROM ${quote(c.name)} WHERE ${quote(field)} = ? LIMIT 2`, [value]);
    return rows.length === 1 ? fromRow(c, rows[0]) : null;
  }
}
