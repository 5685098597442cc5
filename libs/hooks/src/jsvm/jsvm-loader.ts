import * as path from 'node:path';
import type { HooksApp } from '../hooks-app';
import { hookConsole } from '../loader/hook-console';
import { runModule, type Typescript } from '../loader/module-runner';
import { jsvmGlobals } from './jsvm-globals';
import { jsvmHooks } from './jsvm-hooks';
import { UNSUPPORTED_GLOBALS } from './jsvm-names';
import { sequential } from './jsvm-sequential';
import { awaitAsyncCalls, SEQUENTIAL } from './jsvm-transform';

/** Strings' contents and comments blanked (line breaks kept): what the name checks look at. */
function codeOnly(source: string): string {
  return source.replace(
    /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (m) =>
      m[0] === '"' || m[0] === "'" || m[0] === '`'
        ? `${m[0]}${m.slice(1, -1).replace(/[^\n]/g, ' ')}${m[0]}`
        : m.replace(/[^\n]/g, ' '),
  );
}

/**
 * A hooks file written for PocketBase's JavaScript hooks: no `module.exports` / `export`, and calls of the top-level
 * hook functions (`routerAdd`, `onRecordCreate` …) or uses of `$app`.
 */
export function isJsvmSource(source: string): boolean {
  const code = codeOnly(source);
  if (/\bmodule\.exports\b|(^|[^.\w$])exports\.\w+\s*=|^\s*export\s/m.test(code)) {
    return false;
  }
  return /(^|[^.\w$])(routerAdd|routerUse|cronAdd|cronRemove|on[A-Z]\w*)\s*\(/m.test(code) || /\$app\b/.test(code);
}

/** `file:line: message` of the first global (or member of `$app`, `$os` …) the file names that nestbase lacks. */
function unsupportedName(file: string, source: string, scope: Record<string, unknown>): string | null {
  const lines = codeOnly(source).split('\n');
  for (let i = 0; i < lines.length; i++) {
    for (const name of UNSUPPORTED_GLOBALS) {
      const escaped = name.replace(/\$/g, '\\$');
      if (new RegExp(`(^|[^.\\w$])${escaped}(?![\\w$])`).test(lines[i])) {
        return `${file}:${i + 1}: ${name} is not supported by nestbase (see the README's JSVM compatibility table)`;
      }
    }
    for (const m of lines[i].matchAll(/(^|[^.\w$])(\$\w+)\s*\.\s*(\w+)/g)) {
      const ns = scope[m[2]];
      if (ns && typeof ns === 'object' && !(m[3] in ns)) {
        return `${file}:${i + 1}: ${m[2]}.${m[3]} is not supported by nestbase (see the README's JSVM compatibility table)`;
      }
    }
  }
  return null;
}

/**
 * Runs a PocketBase-style hooks file: its top-level calls register on `app`, with PocketBase's globals in scope
 * (only those the file names are declared, so its own names don't clash). With the `typescript` package, calls that
 * are asynchronous here are awaited (see jsvm-transform); without it they still run in call order.
 */
export function loadJsvmFile(
  file: string,
  source: string,
  app: HooksApp,
  ts: Typescript | null,
  fail: (m: string) => Error,
): void {
  const scope: Record<string, unknown> = {
    console: hookConsole(file),
    ...jsvmHooks(app, app, file),
    ...jsvmGlobals(app, file, path.dirname(file), ts !== null),
  };
  const problem = unsupportedName(file, source, scope);
  if (problem) {
    throw fail(problem);
  }
  const used = codeOnly(source);
  const named = Object.fromEntries(
    Object.entries(scope).filter(([name]) =>
      new RegExp(`(^|[^.\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(used),
    ),
  );
  if (ts) {
    named[SEQUENTIAL] = sequential;
  }
  const reads = app.readsAwaited;
  const rewrite = ts ? (code: string) => awaitAsyncCalls(ts, file, code, { reads }) ?? code : undefined;
  if (!ts && app.readsAwaited) {
    throw fail(
      `${file}:1: PocketBase-style hook files need the "typescript" package on PostgreSQL, where their $app reads are awaited (npm install typescript)`,
    );
  }
  if (!ts) {
    app.logger.warn(
      `${path.basename(file)}: without the "typescript" package, e.next() and $app writes run in call order but reads don't wait for them (npm install typescript)`,
    );
  }
  runModule(file, named, file.endsWith('.ts') ? ts : null, fail, rewrite);
  app.jsvmFiles.push(file);
}
