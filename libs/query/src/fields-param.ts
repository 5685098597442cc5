import { BadRequestError } from '@lib/core';

/** One level of the `fields` param: `*`, named keys, and per-key `:excerpt`. */
export interface FieldsTree {
  all: boolean;
  children: Map<string, FieldsTree>;
  excerpt?: { max: number; ellipsis: boolean };
}

const EXCERPT = /^(\w+|\*):excerpt\(\s*(\d+)\s*(?:,\s*(true|false|1|0)\s*)?\)$/;

function node(): FieldsTree {
  return { all: false, children: new Map() };
}

/** Parses `fields=id,title,expand.author.name,description:excerpt(10,true),*`. */
export function parseFields(fields: string): FieldsTree {
  const root = node();
  for (const raw of fields.split(',')) {
    const path = raw.trim();
    if (path === '') {
      continue;
    }
    const parts = path.split('.');
    let current = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const excerpt = last ? EXCERPT.exec(part) : null;
      const key = excerpt ? excerpt[1] : part;
      if (key === '*' && last && !excerpt) {
        current.all = true;
        return;
      }
      if (!/^(\w+|\*)$/.test(key)) {
        throw new BadRequestError(`Invalid fields path "${path}".`);
      }
      let child = current.children.get(key);
      if (!child) {
        child = node();
        child.all = last;
        current.children.set(key, child);
      } else if (last) {
        child.all = true;
      }
      if (excerpt) {
        child.excerpt = { max: Number(excerpt[2]), ellipsis: excerpt[3] === 'true' || excerpt[3] === '1' };
      }
      current = child;
    });
  }
  return root;
}

function excerptOf(value: unknown, max: number, ellipsis: boolean): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const text = value.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max).join('') + (ellipsis ? '...' : '') : text;
}

function project(value: unknown, tree: FieldsTree): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => project(item, tree));
  }
  if (value === null || typeof value !== 'object') {
    return tree.excerpt ? excerptOf(value, tree.excerpt.max, tree.excerpt.ellipsis) : value;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const star = tree.children.get('*');
  for (const key of Object.keys(source)) {
    const child = tree.children.get(key) ?? star;
    if (child) {
      out[key] = child.all && child.children.size === 0 && !child.excerpt ? source[key] : project(source[key], child);
    } else if (tree.all) {
      out[key] = source[key];
    }
  }
  return out;
}

/** Applies `fields` to a response; list results are projected per item (reference §0). */
export function applyFields(value: unknown, tree: FieldsTree): unknown {
  if (tree.children.size === 0 && !tree.all) {
    return value;
  }
  const list = value as { items?: unknown } | null;
  if (list && typeof list === 'object' && !Array.isArray(list) && Array.isArray(list.items) && 'perPage' in list) {
    return { ...list, items: list.items.map((item) => project(item, tree)) };
  }
  return project(value, tree);
}
