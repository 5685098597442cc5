import { QueryRunner, Table, TableColumn, TableIndex, View } from 'typeorm';
import { quoteIdentifier } from '../quote';
import { ColumnChanges, ColumnSpec, DescribedColumn, IndexSpec, TableDdl } from '../sql-executor';

/** The part of a better-sqlite3 connection that reports where a statement's columns come from. */
interface SqliteColumns {
  prepare(sql: string): { columns(): { table: string | null; column: string | null }[] };
}

function toTableColumn(spec: ColumnSpec): TableColumn {
  return new TableColumn({
    name: spec.name,
    type: spec.type,
    isNullable: !spec.notNull,
    isPrimary: spec.primary ?? false,
    default: spec.default ?? undefined,
  });
}

function toTableIndex(index: IndexSpec): TableIndex {
  return new TableIndex({ name: index.name, columnNames: index.columns, isUnique: index.unique, where: index.where });
}

/** Collection DDL through TypeORM's QueryRunner table API, so the same calls serve SQLite and PostgreSQL. */
export class TypeormTableDdl extends TableDdl {
  constructor(private readonly runner: QueryRunner) {
    super();
  }

  override async createTable(name: string, columns: ColumnSpec[], indexes: IndexSpec[] = []): Promise<void> {
    await this.runner.createTable(
      new Table({ name, columns: columns.map(toTableColumn), indices: indexes.map(toTableIndex) }),
      false,
      true,
      true,
    );
  }

  override async renameTable(from: string, to: string): Promise<void> {
    await this.runner.renameTable(from, to);
  }

  override async changeColumns(table: string, changes: ColumnChanges): Promise<void> {
    // TypeORM rebuilds SQLite tables (copy, drop, rename); legacy ALTER semantics keep SQL views that
    // read the table from failing validation while it is briefly missing.
    const sqlite = this.runner.connection.driver.options.type === 'better-sqlite3';
    if (sqlite) {
      await this.runner.query('PRAGMA legacy_alter_table = ON');
    }
    try {
      await this.applyColumnChanges(table, changes);
    } finally {
      if (sqlite) {
        await this.runner.query('PRAGMA legacy_alter_table = OFF');
      }
    }
  }

  private async applyColumnChanges(table: string, changes: ColumnChanges): Promise<void> {
    for (const { from, to } of changes.rename) {
      await this.runner.renameColumn(table, from, to);
    }
    if (changes.drop.length > 0) {
      await this.runner.dropColumns(table, changes.drop);
    }
    if (changes.add.length > 0) {
      await this.runner.addColumns(table, changes.add.map(toTableColumn));
    }
  }

  override async changeShape(table: string, column: string, toMultiple: boolean): Promise<void> {
    const col = quoteIdentifier(column);
    const sql = toMultiple
      ? `UPDATE ${quoteIdentifier(table)} SET ${col} = CASE WHEN ${col} = '' OR ${col} IS NULL THEN '[]' ELSE json_array(${col}) END`
      : `UPDATE ${quoteIdentifier(table)} SET ${col} = COALESCE(json_extract(${col}, '$[#-1]'), '') WHERE json_valid(${col})`;
    await this.runner.query(sql);
  }

  override async dropTable(name: string): Promise<void> {
    // Plain SQL: the table's indexes go with it. TypeORM's dropTable first loads the table's whole description
    // (several catalog scans), which made dropping many collections slow.
    await this.runner.query(`DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
  }

  override async createView(name: string, selectSql: string): Promise<void> {
    await this.runner.createView(new View({ name, expression: selectSql }), false);
  }

  override async dropView(name: string): Promise<void> {
    await this.runner.query(`DROP VIEW IF EXISTS ${quoteIdentifier(name)}`);
  }

  override async setIndexes(table: string, indexes: IndexSpec[]): Promise<void> {
    const current = await this.runner.getTable(table);
    if (!current) {
      return;
    }
    // a copy: dropIndex takes each index out of `current.indices` (iterating that array itself skipped every other one)
    for (const index of [...current.indices]) {
      await this.runner.dropIndex(current, index);
    }
    for (const index of indexes) {
      await this.runner.createIndex(table, toTableIndex(index));
    }
  }

  override async describe(name: string): Promise<DescribedColumn[]> {
    const rows = (await this.runner.query('SELECT name, type FROM pragma_table_info(?)', [name])) as {
      name: string;
      type: string;
    }[];
    const origins = this.columnOrigins(name);
    return rows.map((row, i) => {
      const origin = origins?.[i];
      return origin?.table && origin.column ? { ...row, origin: { table: origin.table, column: origin.column } } : row;
    });
  }

  /** SQLite's column metadata (through aliases, joins, subqueries and nested views); null elsewhere. */
  private columnOrigins(name: string): { table: string | null; column: string | null }[] | null {
    const connection = (this.runner.connection.driver as unknown as { databaseConnection?: SqliteColumns })
      .databaseConnection;
    if (!connection || typeof connection.prepare !== 'function') {
      return null;
    }
    return connection.prepare(`SELECT * FROM ${quoteIdentifier(name)}`).columns();
  }
}
