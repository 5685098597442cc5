import type { FunctionNode, OperandNode } from './ast';
import { invalidFilter } from './errors';
import type { JoinItem, Operand } from './operand';
import type { ResolveContext } from './resolve-context';
import type { Frag } from './sql-fragment';

/** Combines resolved arguments into one operand: multi-valued when any argument is. */
function combine(args: Operand[], build: (values: Frag[]) => Frag, noCoalesce: boolean): Operand {
  const values = args.map((a) => (a.kind === 'scalar' ? a.expr : a.value));
  const items: JoinItem[] = [];
  for (const arg of args) {
    if (arg.kind === 'multi') {
      items.push(...arg.items.filter((i) => !items.some((x) => x.alias === i.alias)));
    }
  }
  const base = { noCoalesce, emptiness: 'unknown' as const, dynamic: false };
  const value = build(values);
  return items.length > 0 ? { kind: 'multi', items, value, ...base } : { kind: 'scalar', expr: value, ...base };
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
      return combine(args, (values) => dialect.strftime(values), false);
    }
    default:
      throw invalidFilter(`unknown function "${node.name}"`, node.position);
  }
}
