import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * PocketBase's `$filepath` (Go's `path/filepath`, with its answers where Node's `path` differs: `clean("")` is ".",
 * no trailing slash, `ext(".bashrc")` is ".bashrc", `join` skips empty parts, `rel` refuses an absolute and a
 * relative path, `match`/`glob` take Go's patterns: `*`, `?`, `[a-z]`, `[^a]`, `\` escapes). Synchronous, as in Go.
 */
function clean(p: string): string {
  if (p === '') {
    return '.';
  }
  const normal = path.posix.normalize(p);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

function base(p: string): string {
  if (p === '') {
    return '.';
  }
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) {
    if (p[i] === '.') {
      return p.slice(i);
    }
  }
  return '';
}

function join(...parts: string[]): string {
  const kept = parts.filter((s) => s !== '');
  return kept.length === 0 ? '' : clean(kept.join('/'));
}

function rel(from: string, to: string): string {
  const elements = (p: string) =>
    clean(p)
      .split('/')
      .filter((e) => e !== '' && e !== '.');
  const [a, b] = [elements(from), elements(to)];
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) {
    common++;
  }
  if (from.startsWith('/') !== to.startsWith('/') || a.slice(common).includes('..')) {
    throw new Error(`Rel: can't make ${to} relative to ${from}`);
  }
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/') || '.';
}

/** A Go glob pattern as a regular expression (one path element per `*`); throws on a malformed pattern. */
function patternRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '\\') {
      if (++i >= pattern.length) {
        throw new Error('syntax error in pattern');
      }
      out += escape(pattern[i]);
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        throw new Error('syntax error in pattern');
      }
      const body = pattern.slice(i + 1, end);
      out += `[${body[0] === '^' ? `^/${escapeClass(body.slice(1))}` : escapeClass(body)}]`;
      i = end;
    } else {
      out += escape(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const escapeClass = (s: string) => s.replace(/\\(.)/g, '$1').replace(/[\]\\^]/g, '\\$&');

function match(pattern: string, name: string): boolean {
  return patternRegExp(pattern).test(name);
}

/** The paths matching `pattern`, element by element (Go: an unreadable directory is skipped), sorted per level. */
function glob(pattern: string): string[] {
  patternRegExp(pattern);
  if (!/[*?[\\]/.test(pattern)) {
    return fs.existsSync(pattern) ? [pattern] : [];
  }
  const absolute = pattern.startsWith('/');
  let found = [absolute ? '/' : ''];
  for (const part of pattern.split('/').filter((s) => s !== '')) {
    const next: string[] = [];
    const magic = /[*?[\\]/.test(part);
    for (const at of found) {
      if (!magic) {
        const candidate = at === '' ? part : path.posix.join(at, part);
        if (fs.existsSync(candidate)) {
          next.push(candidate);
        }
        continue;
      }
      let names: string[];
      try {
        names = fs.readdirSync(at === '' ? '.' : at).sort();
      } catch {
        continue;
      }
      const re = patternRegExp(part);
      next.push(...names.filter((n) => re.test(n)).map((n) => (at === '' ? n : path.posix.join(at, n))));
    }
    found = next;
  }
  return found.filter((p) => p !== '' && p !== '/');
}

interface DirEntry {
  name(): string;
  isDir(): boolean;
  size(): number;
}

function entry(p: string): DirEntry {
  const stat = fs.lstatSync(p);
  return { name: () => base(p), isDir: () => stat.isDirectory(), size: () => stat.size };
}

/** Go's `SkipDir`: returned by a walk callback, skips the directory (or the rest of the file's directory). */
const SKIP_DIR = new Error('skip this directory');
const SKIP_ALL = new Error('skip everything and stop the walk');

/** Go's `filepath.Walk`/`WalkDir`: `fn(path, info, err)` in lexical order; a returned error stops the walk. */
function walk(root: string, fn: (p: string, info: DirEntry | null, err: unknown) => unknown): void {
  const visit = (p: string): unknown => {
    let info: DirEntry;
    try {
      info = entry(p);
    } catch (error) {
      return fn(p, null, error);
    }
    const result = fn(p, info, null);
    if (result === SKIP_DIR) {
      return info.isDir() ? undefined : SKIP_DIR;
    }
    if (result instanceof Error || !info.isDir()) {
      return result instanceof Error ? result : undefined;
    }
    for (const name of fs.readdirSync(p).sort()) {
      const inner = visit(path.posix.join(p, name));
      if (inner === SKIP_DIR) {
        break;
      }
      if (inner instanceof Error) {
        return inner;
      }
    }
    return undefined;
  };
  const result = visit(root);
  if (result instanceof Error && result !== SKIP_DIR && result !== SKIP_ALL) {
    throw result;
  }
}

export const $filepath = {
  base,
  clean,
  dir,
  ext,
  fromSlash: (p: string) => p,
  toSlash: (p: string) => p,
  glob,
  isAbs: (p: string) => p.startsWith('/'),
  join,
  match,
  rel,
  split: (p: string) => [p.slice(0, p.lastIndexOf('/') + 1), p.slice(p.lastIndexOf('/') + 1)],
  splitList: (list: string) => (list === '' ? [] : list.split(':')),
  walk,
  walkDir: walk,
  skipDir: SKIP_DIR,
  skipAll: SKIP_ALL,
};
