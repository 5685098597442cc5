import type { TxExecutor } from '@lib/database';
import type { MigrationQueue } from './migration-queue';

type Obj = Record<string, unknown>;

/** `app.db().newQuery(sql)`: raw SQL in the migration's transaction, run in call order with its other calls. */
export function newQuery(queue: MigrationQueue, tx: TxExecutor, sql: string) {
  let params: Obj = {};
  const statement = () => bindNamed(sql, params);
  const q = {
    bind: (values: Obj) => {
      params = { ...params, ...values };
      return q;
    },
    execute: () => queue.push(async () => void (await tx.run(...statement()))),
    all: () => queue.push(() => tx.query(...statement())),
    one: () => queue.push(async () => (await tx.query(...statement()))[0] ?? null),
  };
  return q;
}

/** `{:name}` placeholders become `?` with the bound values, in order. */
export function bindNamed(sql: string, params: Obj): [string, unknown[]] {
  const values: unknown[] = [];
  const text = sql.replace(/\{:(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) {
      throw new Error(`no value bound for {:${name}}`);
    }
    values.push(params[name]);
    return '?';
  });
  return [text, values];
}
