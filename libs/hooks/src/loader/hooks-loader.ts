import * as fs from 'node:fs';
import * as path from 'node:path';
import { Module } from 'node:module';
import type { HooksApp } from '../hooks-app';

/** A hooks file that can't be loaded: the message starts with `file:line`. */
export class HooksLoadError extends Error {}

type Typescript = typeof import('typescript');
type CompilableModule = InstanceType<typeof Module> & { _compile(code: string, filename: string): void };
type ModuleStatics = { _nodeModulePaths(dir: string): string[] };

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

function typescript(): Typescript | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('typescript') as Typescript;
  } catch {
    return null;
  }
}

/** `file:line` of the first place `error` points into `file` (its stack, or a SyntaxError's header). */
function locate(file: string, error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)`).exec(stack);
  return match ? `${file}:${match[1]}` : file;
}

function transpile(ts: Typescript, file: string, source: string): string {
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      inlineSourceMap: true,
    },
  });
  const problem = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (problem) {
    const line =
      problem.file && problem.start !== undefined
        ? problem.file.getLineAndCharacterOfPosition(problem.start).line + 1
        : 0;
    throw new HooksLoadError(`${file}:${line}: ${ts.flattenDiagnosticMessageText(problem.messageText, ' ')}`);
  }
  return out.outputText;
}

/** Compiles and runs one hooks file; its default export (or `module.exports`) is called with `app`. */
async function loadFile(file: string, app: HooksApp, ts: Typescript | null): Promise<void> {
  const source = fs.readFileSync(file, 'utf8');
  const code = file.endsWith('.ts') && ts ? transpile(ts, file, source) : source;
  const mod = new Module(file, module) as CompilableModule;
  mod.filename = file;
  mod.paths = (Module as unknown as ModuleStatics)._nodeModulePaths(path.dirname(file));
  try {
    mod._compile(code, file);
    const exported = mod.exports as { default?: unknown } | ((app: HooksApp) => unknown) | undefined;
    const register = typeof exported === 'function' ? exported : exported?.default;
    if (typeof register !== 'function') {
      throw new HooksLoadError(`${file}:1: must export a function receiving the app (module.exports = (app) => {…})`);
    }
    await (register as (app: HooksApp) => unknown)(app);
  } catch (error) {
    if (error instanceof HooksLoadError) {
      throw error;
    }
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    throw new HooksLoadError(`${locate(file, error)}: ${name}: ${message.split('\n')[0]}`);
  }
}

/**
 * Loads every hooks file of `dir` into `app`, in name order. `.pb.ts` files are transpiled with the
 * `typescript` package (source-mapped stack traces); without it they are skipped with a warning.
 * Throws `HooksLoadError` (`file:line: …`) at the first file that fails. Returns the loaded files.
 */
export async function loadHooksDir(dir: string, app: HooksApp): Promise<string[]> {
  const files = hookFiles(dir);
  const ts = files.some((f) => f.endsWith('.ts')) ? typescript() : null;
  if (ts) {
    process.setSourceMapsEnabled(true);
  }
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
