import * as fs from 'node:fs';
import * as path from 'node:path';
import { Module } from 'node:module';

// How hooks files and migration files run: CommonJS modules compiled from their source (`.ts` transpiled with
// the `typescript` package, source-mapped), with extra names (`console`, `migrate`, `Collection` …) in scope.

export type Typescript = typeof import('typescript');
type CompilableModule = InstanceType<typeof Module> & {
  _compile(code: string, filename: string): void;
  nbScope?: Record<string, unknown>;
};
type ModuleStatics = { _nodeModulePaths(dir: string): string[] };

/** The `typescript` package, or null when it isn't installed. */
export function typescript(): Typescript | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('typescript') as Typescript;
  } catch {
    return null;
  }
}

/** `file:line` of the first place `stack` (an error, or a captured call site's stack) points into `file`. */
export function locate(file: string, stackOf: unknown): string {
  const stack = stackOf instanceof Error ? (stackOf.stack ?? '') : typeof stackOf === 'string' ? stackOf : '';
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)`).exec(stack);
  return match ? `${file}:${match[1]}` : file;
}

/**
 * `Name: first line of the message` of anything thrown; `byClass`: an error named plain "Error" (the API errors:
 * ValidationFailed …) is named by its class.
 */
export function describeError(error: unknown, byClass = false): string {
  const own = error instanceof Error ? error.name : 'Error';
  const name = byClass && own === 'Error' && error instanceof Error ? error.constructor.name : own;
  const message = error instanceof Error ? error.message : String(error);
  return `${name}: ${message.split('\n')[0]}`;
}

/** CommonJS JavaScript of a `.ts` file; a compile error is thrown as `fail('file:line: message')`. */
export function transpile(ts: Typescript, file: string, source: string, fail: (message: string) => Error): string {
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
    throw fail(`${file}:${line}: ${ts.flattenDiagnosticMessageText(problem.messageText, ' ')}`);
  }
  process.setSourceMapsEnabled(true);
  return out.outputText;
}

/**
 * Declares `scope`'s names at the top of the module, on the first line (after a "use strict" directive), so
 * every line keeps its number in stack traces.
 */
export function withScope(code: string, names: readonly string[]): string {
  if (names.length === 0) {
    return code;
  }
  const declaration = `const { ${names.join(', ')} } = module.nbScope;`;
  const source = code.startsWith('#!') ? `//${code}` : code;
  const directive = /^\s*(['"])use strict\1;?/.exec(source);
  const at = directive ? directive[0].length : 0;
  return `${source.slice(0, at)}${declaration}${source.slice(at)}`;
}

/**
 * Reads, compiles and runs `file` as a CommonJS module (requires resolve from its directory) with the names of
 * `scope` in scope (its JavaScript changed by `rewrite` first); returns its `module.exports`. Whatever the file throws
 * is thrown unchanged.
 */
export function runModule(
  file: string,
  scope: Record<string, unknown>,
  ts: Typescript | null,
  fail: (message: string) => Error,
  rewrite: (code: string) => string = (code) => code,
): unknown {
  const source = fs.readFileSync(file, 'utf8');
  const code = rewrite(file.endsWith('.ts') && ts ? transpile(ts, file, source, fail) : source);
  const mod = new Module(file, module) as CompilableModule;
  mod.filename = file;
  mod.paths = (Module as unknown as ModuleStatics)._nodeModulePaths(path.dirname(file));
  mod.nbScope = scope;
  mod._compile(withScope(code, Object.keys(scope)), file);
  return mod.exports;
}
