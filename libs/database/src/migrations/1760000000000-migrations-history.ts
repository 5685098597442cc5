import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PocketBase's `_migrations` table: one row per applied `pb_migrations` file (`applied` in microseconds since
 * the epoch). nestbase's own schema steps are TypeORM's, kept apart in `_typeorm_migrations`.
 */
export class MigrationsHistory1760000000000 implements MigrationInterface {
  name = 'MigrationsHistory1760000000000';

  async up(q: QueryRunner): Promise<void> {
    // Microseconds outgrow PostgreSQL's 32-bit INTEGER (SQLite's INTEGER is 64-bit).
    const applied = q.connection.driver.options.type === 'postgres' ? 'BIGINT' : 'INTEGER';
    await q.query(
      `CREATE TABLE "_migrations" ("file" VARCHAR(255) PRIMARY KEY NOT NULL, "applied" ${applied} NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "_migrations"');
  }
}
