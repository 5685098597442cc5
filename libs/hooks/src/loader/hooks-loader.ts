import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HooksApp } from '../hooks-app';
import { hookConsole } from './hook-console';
import { describeError, locate, runModule, typescript, type Typescript } from './module-runner';
import { isJsvmSource, loadJsvmFile } from '../jsvm/jsvm-loader';

/** A hooks file that can't be loaded: the message starts with `file:line`. */
export class HooksLoadError extends Error {}

const HOOK_FILE = /\.pb\.(js|ts)$/;

/** The `*.pb.js` and `*.pb.ts` files of `dir`, in name order (none when the directory doesn't exist). */
export function hookFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && HOOK_FILE.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/**
 * Compiles and runs one hooks file; its default export (or `module.exports`) is called with `app`. A file written
 * for PocketBase's JavaScript hooks (top-level `routerAdd(…)`, `onRecordCreate(…)`, no export) runs with
 * PocketBase's globals instead (see jsvm-loader).
 */
async function loadFile(file: string, app: HooksApp, ts: Typescript | null): Promise<void> {
  try {
    const source = fs.readFileSync(file, 'utf8');
    if (isJsvmSource(source)) {
      loadJsvmFile(file, source, app, ts, (m) => new HooksLoadError(m));
      return;
    }
    const exported = runModule(file, { console: hookConsole(file) }, ts, (m) => new HooksLoadError(m)) as
      { default?: unknown } | ((app: HooksApp) => unknown) | undefined;
    const register = typeof exported === 'function' ? exported : exported?.default;
    if (typeof register !== 'function') {
      throw new HooksLoadError(`${file}:1: must export a function receiving the app (module.exports = (app) => {…})`);
    }
    await (register as (app: HooksApp) => unknown)(app);
  } catch (error) {
    if (error instanceof HooksLoadError) {
      throw error;
    }
    throw new HooksLoadError(`${locate(file, error)}: ${describeError(error)}`);
  }
}

/**
 * Loads every hooks file of `dir` into `app`, in name order. `.pb.ts` files are transpiled with the
 * `typescript` package (source-mapped stack traces); without it they are skipped with a warning.
 * Throws `HooksLoadError` (`file:line: …`) at the first file that fails. Returns the loaded files.
 */
export async function loadHooksDir(dir: string, app: HooksApp): Promise<string[]> {
  const files = hookFiles(dir);
  const ts = files.length > 0 ? typescript() : null;
  const loaded: string[] = [];
  for (const file of files) {
    if (file.endsWith('.ts') && !ts) {
      app.logger.warn(`${file}: .pb.ts hooks need the "typescript" package (npm install typescript); skipped`);
      continue;
    }
    await loadFile(file, app, ts);
    loaded.push(file);
  }
  return loaded;
}

/**
 * PocketBase-style files read synchronously on SQLite; elsewhere (PostgreSQL) they must have been loaded with their
 * reads awaited (`HooksApp.readsAwaited`), else they stop the start.
 */
export function assertSyncReads(app: HooksApp): void {
  if (app.jsvmFiles.length > 0 && !app.data?.sync && !(app.readsAwaited && app.data?.reads)) {
    throw new HooksLoadError(
      `${app.jsvmFiles[0]}:1: PocketBase-style hook files were loaded for synchronous reads (SQLite), but this ` +
        'database answers them asynchronously: load the hooks with readsAwaited set (DATABASE_URL known at load)',
    );
  }
}
