import type { Typescript } from '../loader/module-runner';
import type * as TS from 'typescript';

/** Methods of the JSVM API whose work is asynchronous in nestbase (writes, the rest of a hook chain, mail). */
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
]);

type Fn = TS.ArrowFunction | TS.FunctionExpression | TS.FunctionDeclaration | TS.MethodDeclaration;

/**
 * PocketBase's hook code is synchronous: `e.next()` returns once the operation ran, `$app.save(r)` once the
 * record is stored. Here those calls are asynchronous, so the calls of `AWAITED` methods (and of the file's own
 * functions that came to contain one) are awaited, and the functions around them made async. Only words are
 * inserted, on the lines where they apply: stack traces keep their line numbers. Top-level calls and generator
 * functions are left alone. Without the `typescript` package the source is returned unchanged (null).
 */
export function awaitAsyncCalls(ts: Typescript, file: string, source: string): string | null {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const asyncNames = new Set<string>();
  const awaited = new Map<number, TS.CallExpression>();
  const madeAsync = new Map<number, Fn>();
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
  const needsAwait = (call: TS.CallExpression): boolean => {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      return AWAITED.has(method) && (method !== 'next' || call.arguments.length === 0);
    }
    return ts.isIdentifier(callee) && asyncNames.has(callee.text);
  };
  let changed = true;
  while (changed) {
    changed = false;
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && !awaited.has(node.pos) && needsAwait(node)) {
        const fn = enclosing(node);
        if (fn && !fn.asteriskToken) {
          awaited.set(node.pos, node);
          if (!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) && !madeAsync.has(fn.pos)) {
            madeAsync.set(fn.pos, fn);
            const name = nameOf(fn);
            if (name && !asyncNames.has(name)) {
              asyncNames.add(name);
              changed = true;
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
  const inserts: { at: number; text: string }[] = [];
  for (const call of awaited.values()) {
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
      inserts.push({ at: call.getStart(sf), text: 'await ' });
      continue;
    }
    // in parentheses; a statement that starts with them gets a `;` (without semicolons, ASI would not end the line before)
    const statement = ts.findAncestor(call, ts.isExpressionStatement);
    const first = statement !== undefined && statement.getStart(sf) === call.getStart(sf);
    inserts.push({ at: call.getStart(sf), text: first ? ';(await ' : '(await ' }, { at: call.getEnd(), text: ')' });
  }
  for (const fn of madeAsync.values()) {
    inserts.push({ at: fn.getStart(sf), text: 'async ' });
  }
  // from the end, so earlier offsets stay valid; at one offset, "async " goes before "await"
  inserts.sort((a, b) => b.at - a.at || (a.text === 'async ' ? 1 : -1));
  let out = source;
  for (const { at, text } of inserts) {
    out = out.slice(0, at) + text + out.slice(at);
  }
  return out;
}
