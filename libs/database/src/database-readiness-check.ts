import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from '@lib/core';
import { Database } from './typeorm/typeorm-database';

/** `/readyz`: the database answers a `SELECT 1` on this process's connection. */
@Injectable()
export class DatabaseReadinessCheck extends ReadinessCheck {
  readonly name = 'database';

  constructor(private readonly database: Database) {
    super();
  }

  override async check(): Promise<void> {
    await this.database.query('SELECT 1');
  }
}
