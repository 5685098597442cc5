import { BadRequestError } from '@lib/core';

/** `expand` as a tree: relation (or `<coll>_via_<field>`) names to their nested expands. */
export type ExpandTree = Map<string, ExpandTree>;

export const MAX_EXPAND_DEPTH = 6;

/** Parses `expand=author,author.team,comments_via_post`; duplicates and prefixes merge. */
export function parseExpand(expand: string): ExpandTree {
  const root: ExpandTree = new Map();
  for (const raw of expand.split(',')) {
    const path = raw.trim();
    if (path === '') {
      continue;
    }
    const parts = path.split('.');
    if (parts.length > MAX_EXPAND_DEPTH) {
      throw new BadRequestError(`Invalid expand: at most ${MAX_EXPAND_DEPTH} nested levels are allowed.`);
    }
    let node = root;
    for (const part of parts) {
      if (!/^\w+$/.test(part)) {
        throw new BadRequestError(`Invalid expand path "${path}".`);
      }
      let child = node.get(part);
      if (!child) {
        child = new Map();
        node.set(part, child);
      }
      node = child;
    }
  }
  return root;
}
