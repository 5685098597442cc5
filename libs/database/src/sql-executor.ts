/** Plain SQL with `?` placeholders and bound values: what repositories run. */
export abstract class SqlExecutor {
  abstract query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a write statement; resolves with the number of changed rows. */
  abstract run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** A column of a collection table, described without any ORM types. */
export interface ColumnSpec {
  name: string;
  type: 'text' | 'numeric' | 'boolean' | 'json';
  notNull: boolean;
  /** SQL literal used as DEFAULT (`''`, `0`, `'[]'`), or null for none. */
  default: string | null;
  primary?: boolean;
}

export interface IndexSpec {
  name: string;
  columns: string[];
  unique: boolean;
  where?: string;
}

/** A column of a table or view; `origin` is the table column a view column reads unchanged. */
export interface DescribedColumn {
  name: string;
  type: string;
  origin?: { table: string; column: string };
}

/** Changes to one table's columns, applied renames first, then drops, then adds. */
export interface ColumnChanges {
  rename: { from: string; to: string }[];
  drop: string[];
  add: ColumnSpec[];
}

/** Table and view DDL for collections, inside a transaction. */
export abstract class TableDdl {
  /** A new table with its indexes (made together: nothing to look up first). */
  abstract createTable(name: string, columns: ColumnSpec[], indexes?: IndexSpec[]): Promise<void>;
  abstract renameTable(from: string, to: string): Promise<void>;
  abstract changeColumns(table: string, changes: ColumnChanges): Promise<void>;
  /** A select/relation/file column turned single <-> multiple: its stored values converted in place. */
  abstract changeShape(table: string, column: string, toMultiple: boolean): Promise<void>;
  abstract dropTable(name: string): Promise<void>;
  abstract createView(name: string, selectSql: string): Promise<void>;
  abstract dropView(name: string): Promise<void>;
  /** Replaces the table's indexes with these. */
  abstract setIndexes(table: string, indexes: IndexSpec[]): Promise<void>;
  /** Column names and declared types of a table or view, with the table column each comes from (if any). */
  abstract describe(name: string): Promise<DescribedColumn[]>;
}

export abstract class TxExecutor extends SqlExecutor {
  abstract readonly ddl: TableDdl;
}
