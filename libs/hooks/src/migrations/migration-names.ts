import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '@lib/core';

/** A migration file: `*.js` or `*.ts` (type declarations and hidden files aside). */
const MIGRATION_FILE = /^[^.].*\.(js|ts)$/;

/** The migration files of `dir` (names, not paths) in the order they apply: by name. None when it doesn't exist. */
export function migrationFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && MIGRATION_FILE.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => entry.name)
    .sort();
}

/** `Add posts`, `addPosts`, `add-posts` → `add_posts`: the name part of a migration file. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * The name of a new migration file, `<unix seconds>_<suffix>.<ext>` as PocketBase names them, made to sort after
 * every existing timestamped file: files written within the same second (or after a clock step back) still apply
 * in the order they were written.
 */
export function nextMigrationName(existing: readonly string[], nowSeconds: number, suffix: string, ext = 'js'): string {
  const name = (seconds: number) => `${seconds}_${suffix}.${ext}`;
  const last = existing
    .filter((file) => /^\d+_/.test(file))
    .sort((a, b) => compareStamped(a, b))
    .at(-1);
  if (!last) {
    return name(nowSeconds);
  }
  const lastSeconds = Number(/^\d+/.exec(last)![0]);
  for (const seconds of [nowSeconds, lastSeconds, lastSeconds + 1]) {
    if (seconds >= nowSeconds && compareStamped(name(seconds), last) > 0) {
      return name(seconds);
    }
  }
  return name(Math.max(nowSeconds, lastSeconds + 1));
}

/** Name order, which is apply order (plain string comparison, as `migrationFiles` sorts). */
function compareStamped(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Writes `code` as a new file `<unix seconds>_<suffix>.js` of `dir` (made if missing); returns its name. */
export function writeMigrationFile(dir: string, suffix: string, code: string): string {
  makeDirs(dir);
  const name = nextMigrationName(migrationFiles(dir), Math.floor(Date.now() / 1000), suffix);
  fs.writeFileSync(path.join(dir, name), code, { flag: 'wx' });
  return name;
}
