import { Injectable } from '@nestjs/common';
import { BadRequestError, NotFoundError } from '@lib/core';
import { RecordsService } from '@lib/records';
import { SYSTEM_REQUEST } from './system-request';
import { Database } from '@lib/database';

/** Creates, updates and deletes superusers outside HTTP (CLI, `PB_ADMIN_*` at start). */
@Injectable()
export class SuperusersService {
  constructor(
    private readonly records: RecordsService,
    private readonly database: Database,
  ) {}

  async upsert(email: string, password: string): Promise<'created' | 'updated'> {
    const id = await this.findId(email);
    const body = { email, password, passwordConfirm: password, verified: true };
    if (id) {
      await this.records.update('_superusers', id, body, '', SYSTEM_REQUEST);
      return 'updated';
    }
    await this.records.create('_superusers', body, '', SYSTEM_REQUEST);
    return 'created';
  }

  async delete(email: string): Promise<void> {
    const id = await this.findId(email);
    if (!id) {
      throw new NotFoundError(`No superuser with email ${email}.`);
    }
    await this.records.delete('_superusers', id, SYSTEM_REQUEST);
  }

  private async findId(email: string): Promise<string | null> {
    if (!email.includes('@')) {
      throw new BadRequestError('Invalid email address.');
    }
    const rows = await this.database.query<{ id: string }>(
      'SELECT "id" FROM "_superusers" WHERE "email" = ? COLLATE NOCASE',
      [email],
    );
    return rows[0]?.id ?? null;
  }
}
