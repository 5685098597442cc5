import { Injectable } from '@nestjs/common';
import { Database, SqlExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';
import { CollectionRepository } from '../collections/collection.repository';

interface CollectionRow {
  id: string;
  name: string;
  type: string;
  system: number;
  data: string;
  created: string;
  updated: string;
}

function toRow(c: CollectionModel): unknown[] {
  const { id, name, type, system, created, updated, ...rest } = c;
  return [id, name, type, system ? 1 : 0, JSON.stringify(rest), created, updated];
}

@Injectable()
export class TypeormCollectionRepository extends CollectionRepository {
  constructor(private readonly database: Database) {
    super();
  }

  override async findAll(db: SqlExecutor = this.database): Promise<CollectionModel[]> {
    const order = this.database.engine === 'postgres' ? '"ctid"' : '"rowid"';
    const rows = await db.query<CollectionRow>(`SELECT * FROM "_collections" ORDER BY "created", ${order}`);
    return rows.map((r): CollectionModel => ({
      ...(JSON.parse(r.data) as CollectionModel),
      id: r.id,
      name: r.name,
      type: r.type as CollectionModel['type'],
      system: r.system === 1,
      created: r.created,
      updated: r.updated,
    }));
  }

  override async insert(c: CollectionModel, db: SqlExecutor): Promise<void> {
    this.database.noteSensitiveWrite(); // an auth collection's options and secrets verify its tokens
    await db.run(
      'INSERT INTO "_collections" ("id", "name", "type", "system", "data", "created", "updated") VALUES (?, ?, ?, ?, ?, ?, ?)',
      toRow(c),
    );
  }

  override async update(c: CollectionModel, db: SqlExecutor): Promise<void> {
    this.database.noteSensitiveWrite(); // an auth collection's options and secrets verify its tokens
    const [id, ...rest] = toRow(c);
    await db.run(
      'UPDATE "_collections" SET "name" = ?, "type" = ?, "system" = ?, "data" = ?, "created" = ?, "updated" = ? WHERE "id" = ?',
      [...rest, id],
    );
  }

  override async delete(id: string, db: SqlExecutor): Promise<void> {
    this.database.noteSensitiveWrite(); // an auth collection's options and secrets verify its tokens
    await db.run('DELETE FROM "_collections" WHERE "id" = ?', [id]);
  }
}
