import { Injectable } from '@nestjs/common';
import { BadRequestError, INSTALLER_EMAIL, NotFoundError } from '@lib/core';
import { PasswordHasher, RecordsService } from '@lib/records';
import { SYSTEM_REQUEST } from './system-request';
import { Database } from '@lib/database';

/** Creates, updates and deletes superusers outside HTTP (CLI, `PB_ADMIN_*` at start). */
@Injectable()
export class SuperusersService {
  constructor(
    private readonly records: RecordsService,
    private readonly database: Database,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Creates the superuser, or sets its password. A password that already matches is left alone, so
   * `PB_ADMIN_*` at every start neither rehashes it nor rotates the tokenKey (which would sign
   * every superuser out on each restart).
   */
  async upsert(email: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
    try {
      return await this.upsertOnce(email, password);
    } catch (error) {
      // Another process on the same database (services starting together) created it meanwhile.
      if (await this.find(email)) {
        return this.upsertOnce(email, password);
      }
      throw error;
    }
  }

  private async upsertOnce(email: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
    const existing = await this.find(email);
    const body = { email, password, passwordConfirm: password, verified: true };
    if (existing) {
      if (await this.hasher.verify(password, existing.password)) {
        return 'unchanged';
      }
      await this.records.update('_superusers', existing.id, body, '', SYSTEM_REQUEST);
      return 'updated';
    }
    await this.records.create('_superusers', body, '', SYSTEM_REQUEST);
    await this.removeInstaller(email);
    return 'created';
  }

  /** The first real superuser ends the dashboard installer: its placeholder record (and so its link) goes. */
  private async removeInstaller(created: string): Promise<void> {
    const placeholder = created.toLowerCase() === INSTALLER_EMAIL ? null : await this.find(INSTALLER_EMAIL);
    if (placeholder) {
      await this.records.delete('_superusers', placeholder.id, SYSTEM_REQUEST);
    }
  }

  async delete(email: string): Promise<void> {
    const existing = await this.find(email);
    if (!existing) {
      throw new NotFoundError(`No superuser with email ${email}.`);
    }
    await this.records.delete('_superusers', existing.id, SYSTEM_REQUEST);
  }

  private async find(email: string): Promise<{ id: string; password: string } | null> {
    if (!email.includes('@')) {
      throw new BadRequestError('Invalid email address.');
    }
    const rows = await this.database.query<{ id: string; password: string }>(
      `SELECT "id", "password" FROM "_superusers" WHERE ${this.database.equalsNoCase('"email"')}`,
      [email],
    );
    return rows[0] ?? null;
  }
}
