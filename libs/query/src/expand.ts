import { BadRequestError } from '@lib/core';

/** Relation paths to expand: each key a relation field (or `<collection>_via_<field>`), each value the nested expand. */
export type ExpandTree = Map<string, ExpandTree>;

/** Max nesting of one expand path (reference §3); deeper paths are a 400 (issue 3, where PocketBase truncates). */
export const MAX_EXPAND_DEPTH = 6;

/** Parses the `expand` param ("author,author.team,comments_via_post"), merging duplicate and prefix paths. */
export function parseExpand(expand: string): ExpandTree {
  const tree: ExpandTree = new Map();
  for (const rawPath of (expand ?? '').split(',')) {
    const path = rawPath.trim();
    if (path === '') {
      continue;
    }
    const parts = path.split('.').map((p) => p.trim());
    if (parts.some((p) => !/^\w+$/.test(p))) {
      throw new BadRequestError(`Invalid expand parameter: invalid path "${path}".`);
    }
    if (parts.length > MAX_EXPAND_DEPTH) {
      throw new BadRequestError(`Invalid expand parameter: "${path}" is nested more than ${MAX_EXPAND_DEPTH} levels.`);
    }
    let level = tree;
    for (const part of parts) {
      let next = level.get(part);
      if (!next) {
        next = new Map();
        level.set(part, next);
      }
      level = next;
    }
  }
  return tree;
}
