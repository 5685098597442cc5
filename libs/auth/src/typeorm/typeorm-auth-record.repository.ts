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
}
