import { BadRequestError } from '@lib/core';
import { excerpt } from './excerpt';

export interface ExcerptModifier {
  name: 'excerpt';
  maxChars: number;
  withEllipsis: boolean;
}

export interface FieldsNode {
  /** Applied to the kept value (only on leaves). */
  modifier: ExcerptModifier | null;
  /** Keys to keep inside the value, or null to keep the whole value. */
  children: FieldsTree | null;
}

/** The parsed `fields` param: per key, what to keep; the key `*` stands for every key not named. */
export type FieldsTree = Map<string, FieldsNode>;

function invalidFields(reason: string): BadRequestError {
  return new BadRequestError(`Invalid fields parameter: ${reason}.`);
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      depth = Math.max(0, depth - 1);
    }
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

const TRUE_VALUES = new Set(['1', 't', 'true']);
const FALSE_VALUES = new Set(['0', 'f', 'false']);

function parseModifier(text: string): ExcerptModifier {
  const match = /^excerpt\(([^)]*)\)$/i.exec(text.trim());
  if (!match) {
    throw invalidFields(`unknown modifier "${text}"`);
  }
  const args = match[1].split(',').map((a) => a.trim());
  if (args.length > 2 || !/^\d+$/.test(args[0]) || Number(args[0]) < 1) {
    throw invalidFields('excerpt needs (maxChars [, withEllipsis]) with maxChars > 0');
  }
  const flag = (args[1] ?? 'false').toLowerCase();
  if (!TRUE_VALUES.has(flag) && !FALSE_VALUES.has(flag)) {
    throw invalidFields(`invalid excerpt withEllipsis "${args[1] ?? ''}"`);
  }
  return { name: 'excerpt', maxChars: Number(args[0]), withEllipsis: TRUE_VALUES.has(flag) };
}

/** Parses the `fields` query param: "id,title,expand.author.name,description:excerpt(10,true),*". */
export function parseFields(fields: string): FieldsTree {
  const tree: FieldsTree = new Map();
  for (const rawEntry of splitTopLevel(fields ?? '')) {
    const entry = rawEntry.trim();
    if (entry === '') {
      continue;
    }
    const colon = entry.indexOf(':');
    const path = colon < 0 ? entry : entry.slice(0, colon);
    const modifier = colon < 0 ? null : parseModifier(entry.slice(colon + 1));
    const parts = path.split('.').map((p) => p.trim());
    if (parts.some((p) => p === '' || !/^(\*|[\w-]+)$/.test(p))) {
      throw invalidFields(`invalid field "${entry}"`);
    }
    insert(tree, parts, modifier);
  }
  return tree;
}

function insert(tree: FieldsTree, parts: string[], modifier: ExcerptModifier | null): void {
  const [head, ...rest] = parts;
  const existing = tree.get(head);
  if (rest.length === 0) {
    tree.set(head, { modifier, children: null });
    return;
  }
  if (existing && existing.children === null) {
    return; // the whole value is already kept
  }
  const node = existing ?? { modifier: null, children: new Map() };
  tree.set(head, node);
  insert(node.children as FieldsTree, rest, modifier);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isListResult(value: unknown): value is Record<string, unknown> & { items: unknown[] } {
  return isPlainObject(value) && Array.isArray(value['items']) && 'page' in value && 'perPage' in value;
}

function pick(value: unknown, tree: FieldsTree): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => pick(item, tree));
  }
  if (!isPlainObject(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const node = tree.get(key) ?? tree.get('*');
    if (!node) {
      continue;
    }
    const kept = node.children ? pick(value[key], node.children) : value[key];
    out[key] = node.modifier ? excerpt(kept, node.modifier.maxChars, node.modifier.withEllipsis) : kept;
  }
  return out;
}

/**
 * Projects a response body with a parsed `fields` param (reference §0). A list result (`{page, perPage, …, items}`)
 * is projected item by item and keeps its paging keys. The input is not modified.
 */
export function applyFields(value: unknown, tree: FieldsTree): unknown {
  if (tree.size === 0) {
    return value;
  }
  if (isListResult(value)) {
    return { ...value, items: value.items.map((item) => pick(item, tree)) };
  }
  return pick(value, tree);
}
