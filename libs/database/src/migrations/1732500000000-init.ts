import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The system tables. Collection tables are created later through the collections service. */
export class Init1732500000000 implements MigrationInterface {
  name = 'Init1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: '_collections',
        columns: [
          { name: 'id', type: 'text', isPrimary: true },
          { name: 'name', type: 'text', isUnique: true },
          { name: 'type', type: 'text' },
          { name: 'system', type: 'boolean', default: false },
          { name: 'data', type: 'text', default: "'{}'" },
          { name: 'created', type: 'text' },
          { name: 'updated', type: 'text' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: '_params',
        columns: [
          { name: 'id', type: 'text', isPrimary: true },
          { name: 'value', type: 'text', default: "'null'" },
          { name: 'created', type: 'text' },
          { name: 'updated', type: 'text' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('_params');
    await q.dropTable('_collections');
  }
}
