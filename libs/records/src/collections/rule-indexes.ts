import { parseFilter, type FilterNode, type OperandNode } from '@lib/query';
import { isMultiple, parseIndex, type CollectionModel } from '@lib/schema';

const AUTH_ID = '@request.auth.id';
/** The rules every list / view request runs: a field they compare with the caller's id is what such a read seeks. */
const READ_RULES = ['listRule', 'viewRule'] as const;

/** Fields of `collection` a top-level `&&` term of `rule` compares with `@request.auth.id` (`owner = @request.auth.id`). */
export function authComparedFields(collection: CollectionModel, rule: string | null | undefined): string[] {
  return equalityFields(collection, rule, (other) => other.type === 'identifier' && other.name === AUTH_ID);
}

/**
 * Fields of `collection` (plain, single-valued, in the row itself) that a top-level `&&` term of `expr` compares
 * with `=` to an operand `accept` takes: the equality conditions an index can seek on. Nothing for a text that
 * doesn't parse (the compiler reports those).
 */
export function equalityFields(
  collection: CollectionModel,
  expr: string | null | undefined,
  accept: (other: OperandNode) => boolean,
): string[] {
  if (typeof expr !== 'string' || expr.trim() === '') {
    return [];
  }
  let root: FilterNode;
  try {
    root = parseFilter(expr);
  } catch {
    return [];
  }
  const out: string[] = [];
  const column = (node: OperandNode): string | null => {
    if (node.type !== 'identifier') {
      return null;
    }
    const field = collection.fields.find((f) => f.name === node.name);
    // A multiple relation / select is JSON: an index on it serves no equality.
    return field && field.name !== 'id' && !isMultiple(field) ? field.name : null;
  };
  const visit = (node: FilterNode): void => {
    if (node.type === 'and') {
      node.children.forEach(visit);
      return;
    }
    if (node.type !== 'comparison' || node.operator !== '=') {
      return;
    }
    const left = column(node.left);
    const right = column(node.right);
    const name = left !== null && accept(node.right) ? left : right !== null && accept(node.left) ? right : null;
    if (name !== null && !out.includes(name)) {
      out.push(name);
    }
  };
  visit(root);
  return out;
}

function readRuleFields(c: CollectionModel): Set<string> {
  return new Set(READ_RULES.flatMap((key) => authComparedFields(c, c[key])));
}

/**
 * The indexes a collection's read rules imply, added to `collection.indexes` on save (issue 16): each field the
 * list/view rule compares with `@request.auth.id` gets `(field, created)` — the owner's rows found by the index, in
 * the `sort=-created` order the SDK and dashboard ask for, without a scan and a temporary sort. Only fields new to
 * the rules get one (a user who removes the index keeps it removed until the rule changes), and only when no index
 * already starts with the field. View collections have no indexes.
 */
export function withRuleIndexes(
  collection: CollectionModel,
  existing: CollectionModel | undefined,
  others: readonly CollectionModel[],
): CollectionModel {
  if (collection.type === 'view') {
    return collection;
  }
  const before = existing ? readRuleFields(existing) : new Set<string>();
  const wanted = [...readRuleFields(collection)].filter((name) => !before.has(name));
  if (wanted.length === 0) {
    return collection;
  }
  const parsed = collection.indexes.map((sql) => parseIndex(sql));
  const leading = new Set(parsed.map((p) => ('code' in p ? '' : p.columns[0])));
  const taken = new Set(
    [...others.flatMap((c) => c.indexes), ...collection.indexes]
      .map((sql) => parseIndex(sql))
      .map((p) => ('code' in p ? '' : p.name.toLowerCase())),
  );
  const created = collection.fields.some((f) => f.name === 'created' && f.type === 'autodate');
  const added: string[] = [];
  for (const name of wanted.filter((n) => !leading.has(n))) {
    const columns = created ? [name, 'created'] : [name];
    const base = `idx_${collection.name}_${columns.join('_')}`;
    let indexName = base;
    for (let n = 2; taken.has(indexName.toLowerCase()); n++) {
      indexName = `${base}_${n}`;
    }
    taken.add(indexName.toLowerCase());
    const cols = columns.map((c) => `\`${c}\``).join(', ');
    added.push(`CREATE INDEX \`${indexName}\` ON \`${collection.name}\` (${cols})`);
  }
  return added.length === 0 ? collection : { ...collection, indexes: [...collection.indexes, ...added] };
}
