import type { FunctionNode, OperandNode } from './ast';
import { invalidFilter } from './errors';
import type { JoinItem, Operand } from './operand';
import type { Typed } from './dialect';
import type { ResolveContext } from './resolve-context';

/** Combines resolved arguments into one operand: multi-valued when any argument is. */
function combine(args: Operand[], build: (values: Typed[]) => Typed, noCoalesce: boolean): Operand {
  const values = args.map((a): Typed => ({ expr: a.kind === 'scalar' ? a.expr : a.value, vtype: a.vtype }));
  const items: JoinItem[] = [];
  for (const arg of args) {
    if (arg.kind === 'multi') {
      items.push(...arg.items.filter((i) => !items.some((x) => x.alias === i.alias)));
    }
  }
  const base = { noCoalesce, emptiness: 'unknown' as const, dynamic: false };
  const { expr: value, vtype } = build(values);
  return items.length > 0
    ? { kind: 'multi', items, value, vtype, ...base }
    : { kind: 'scalar', expr: value, vtype, ...base };
}

/** `geoDistance(lonA, latA, lonB, latB)` and `strftime(format, time?, modifiers…)` (reference §6.5). */
export function resolveFunction(
  ctx: ResolveContext,
  node: FunctionNode,
  resolveArg: (arg: OperandNode) => Operand,
): Operand {
  const { dialect } = ctx;
  switch (node.name) {
    case 'geoDistance': {
      if (node.args.length !== 4) {
        throw invalidFilter('geoDistance() needs 4 arguments (lonA, latA, lonB, latB)', node.position);
      }
      for (const arg of node.args) {
        if (arg.type !== 'identifier' && arg.type !== 'number' && arg.type !== 'function') {
          throw invalidFilter('geoDistance() arguments must be identifiers or numbers', arg.position);
        }
      }
      const args = node.args.map(resolveArg);
      return combine(args, ([a, b, c, d]) => dialect.geoDistance(a, b, c, d), true);
    }
    case 'strftime': {
      const [format, ...rest] = node.args;
      if (format.type !== 'text') {
        throw invalidFilter('the strftime() format must be a text', format.position);
      }
      rest.forEach((arg, i) => {
        if (i > 0 && arg.type !== 'text') {
          throw invalidFilter('strftime() modifiers must be texts', arg.position);
        }
        if (i === 0 && (arg.type === 'bool' || arg.type === 'null')) {
          throw invalidFilter('the strftime() time value must be a text, number or identifier', arg.position);
        }
      });
      const args = node.args.map(resolveArg);
      return combine(args, ([bindFormat, ...rest]) => dialect.strftime(format.value, bindFormat, rest), false);
    }
    default:
      throw invalidFilter(`unknown function "${node.name}"`, node.position);
  }
}
