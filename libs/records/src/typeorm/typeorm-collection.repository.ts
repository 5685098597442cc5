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

/** Definitions read back per statement by `findAllSince` (bound parameters stay far below either limit). */
const STALE_PER_READ = 500;

function fromRow(r: CollectionRow): CollectionModel {
  return {
    ...(JSON.parse(r.data) as CollectionModel),
    id: r.id,
    name: r.name,
    type: r.type as CollectionModel['type'],
    system: r.system === 1,
    created: r.created,
    updated: r.updated,
  };
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
    const rows = await db.query<CollectionRow>(`SELECT * FROM "_collections" ORDER BY ${this.order()}`);
    return rows.map(fromRow);
  }

  override async findAllSince(known: readonly CollectionModel[], db: SqlExecutor = this.database) {
    if (known.length === 0) {
      return this.findAll(db);
    }
    const heads = await db.query<{ id: string; updated: string }>(
      `SELECT "id", "updated" FROM "_collections" ORDER BY ${this.order()}`,
    );
    const byId = new Map(known.map((c) => [c.id, c]));
    const stale = heads.filter((h) => byId.get(h.id)?.updated !== h.updated).map((h) => h.id);
    if (stale.length > heads.length / 2) {
      return this.findAll(db);
    }
    const fresh = new Map<string, CollectionModel>();
    for (let at = 0; at < stale.length; at += STALE_PER_READ) {
      const ids = stale.slice(at, at + STALE_PER_READ);
      const rows = await db.query<CollectionRow>(
        `SELECT * FROM "_collections" WHERE "id" IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      rows.forEach((r) => fresh.set(r.id, fromRow(r)));
    }
    // A row gone between the two reads (a change committed in between) leaves a gap: read it all.
    if (fresh.size !== stale.length) {
      return this.findAll(db);
    }
    return heads.map((h) => fresh.get(h.id) ?? byId.get(h.id)!);
  }

  /** Creation order (ties: storage order). */
  private order(): string {
    return `"created", ${this.database.engine === 'postgres' ? '"ctid"' : '"rowid"'}`;
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
