import type { Typescript } from '../loader/module-runner';
import type * as TS from 'typescript';

/** Methods of the JSVM API whose work is asynchronous in nestbase (writes, the rest of a hook chain, mail, enrich). */
const AWAITED = new Set([
  'next',
  'save',
  'saveNoValidate',
  'delete',
  'runInTransaction',
  'send',
  'sendRecordPasswordReset',
  'sendRecordVerification',
  'sendRecordChangeEmail',
  'sendRecordOTP',
  'sendRecordAuthAlert',
  'enrichRecord',
  'enrichRecords',
]);

/**
 * The reads of `$app` (and `$app.db()` queries' `one` / `all`): awaited too where the database answers them
 * asynchronously (PostgreSQL); on SQLite they are answered synchronously and left as they are.
 */
const READS = [
  'findRecordById',
  'findRecordsByIds',
  'findFirstRecordByFilter',
  'findRecordsByFilter',
  'findAllRecords',
  'findFirstRecordByData',
  'findAuthRecordByEmail',
  'countRecords',
  'one',
  'all',
];

/**
 * Array methods whose callback may have been made async: the call then goes through `SEQUENTIAL` (a global of
 * the file, see `sequential`), which runs the callbacks one after the other, awaiting each, and is awaited.
 */
const ARRAY_METHODS = new Set([
  'forEach',
  'map',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'flatMap',
  'reduce',
]);

/** The name of `sequential` in a rewritten file's scope. */
export const SEQUENTIAL = '__nbSequential';

type Fn = TS.ArrowFunction | TS.FunctionExpression | TS.FunctionDeclaration | TS.MethodDeclaration;

/**
 * PocketBase's hook code is synchronous: `e.next()` returns once the operation ran, `$app.save(r)` once the
 * record is stored. Here those calls are asynchronous, so the calls of `AWAITED` methods (and of the file's own
 * functions that came to contain one) are awaited, and the functions around them made async. Only words are
 * inserted, on the lines where they apply: stack traces keep their line numbers. Top-level calls and generator
 * functions are left alone. Without the `typescript` package the source is returned unchanged (null).
 */
export function awaitAsyncCalls(
  ts: Typescript,
  file: string,
  source: string,
  options: { reads?: boolean } = {},
): string | null {
  const awaitedMethods = options.reads ? new Set([...AWAITED, ...READS]) : AWAITED;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const asyncNames = new Set<string>();
  const awaited = new Set<TS.CallExpression>();
  const madeAsync = new Set<Fn>();
  const isFn = (n: TS.Node): n is Fn =>
    ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n);
  const enclosing = (n: TS.Node): Fn | null => {
    for (let p = n.parent; p; p = p.parent) {
      if (isFn(p)) {
        return p;
      }
      if (ts.isConstructorDeclaration(p) || ts.isAccessor(p) || ts.isClassStaticBlockDeclaration(p)) {
        return null;
      }
    }
    return null;
  };
  const nameOf = (fn: Fn): string | null => {
    if (ts.isFunctionDeclaration(fn) && fn.name) {
      return fn.name.text;
    }
    const parent = fn.parent;
    return ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : null;
  };
  const isAsyncFn = (n: TS.Node): boolean =>
    (isFn(n) && madeAsync.has(n)) || (ts.isIdentifier(n) && asyncNames.has(n.text));
  /** `xs.forEach(cb)` … with a callback made async: run through `SEQUENTIAL`, awaited. */
  const sequential = (call: TS.CallExpression): boolean => {
    const callee = call.expression;
    return (
      ts.isPropertyAccessExpression(callee) &&
      ARRAY_METHODS.has(callee.name.text) &&
      call.arguments.length > 0 &&
      isAsyncFn(call.arguments[0])
    );
  };
  const needsAwait = (call: TS.CallExpression): boolean => {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (method === 'next') {
        return call.arguments.length === 0;
      }
      if (method === 'one' || method === 'all') {
        const promise = ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
        return awaitedMethods.has(method) && !promise && call.arguments.length <= 1;
      }
      return awaitedMethods.has(method) || sequential(call);
    }
    return ts.isIdentifier(callee) && asyncNames.has(callee.text);
  };
  let changed = true;
  while (changed) {
    changed = false;
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && !awaited.has(node) && needsAwait(node)) {
        const fn = enclosing(node);
        if (fn && !fn.asteriskToken) {
          awaited.add(node);
          if (!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) && !madeAsync.has(fn)) {
            madeAsync.add(fn);
            changed = true;
            const name = nameOf(fn);
            if (name) {
              asyncNames.add(name);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  if (awaited.size === 0) {
    return source;
  }
  const depth = (n: TS.Node): number => {
    let d = 0;
    for (let p = n.parent; p; p = p.parent) {
      d++;
    }
    return d;
  };
  // at one offset, an insert of higher `order` ends up after one of lower order: openers of outer nodes first,
  // closers of inner nodes first
  const inserts: { at: number; text: string; order: number }[] = [];
  for (const call of awaited.values()) {
    const d = depth(call) * 2;
    if (sequential(call)) {
      const list = (call.expression as TS.PropertyAccessExpression).expression;
      inserts.push(
        { at: list.getStart(sf), text: `${SEQUENTIAL}(`, order: d + 1 },
        { at: list.getEnd(), text: ')', order: -(d + 1) },
      );
    }
    const parent = call.parent;
    if (ts.isAwaitExpression(parent)) {
      continue;
    }
    const whole =
      ts.isExpressionStatement(parent) ||
      ts.isReturnStatement(parent) ||
      (ts.isVariableDeclaration(parent) && parent.initializer === call) ||
      (ts.isArrowFunction(parent) && parent.body === call);
    if (whole) {
      inserts.push({ at: call.getStart(sf), text: 'await ', order: d });
      continue;
    }
    // in parentheses; a statement that starts with them gets a `;` (without semicolons, ASI would not end the line before)
    const statement = ts.findAncestor(call, ts.isExpressionStatement);
    const outer = ts.findAncestor(call.parent, (n) => ts.isCallExpression(n) && awaited.has(n));
    const first =
      statement !== undefined &&
      statement.getStart(sf) === call.getStart(sf) &&
      (outer === undefined || outer.getStart(sf) !== call.getStart(sf));
    inserts.push(
      { at: call.getStart(sf), text: first ? ';(await ' : '(await ', order: d },
      { at: call.getEnd(), text: ')', order: -d },
    );
  }
  for (const fn of madeAsync.values()) {
    inserts.push({ at: fn.getStart(sf), text: 'async ', order: depth(fn) * 2 });
  }
  // from the end, so earlier offsets stay valid; at one offset, what is inserted last ends up first
  inserts.sort((a, b) => b.at - a.at || b.order - a.order);
  let out = source;
  for (const { at, text } of inserts) {
    out = out.slice(0, at) + text + out.slice(at);
  }
  return out;
}
