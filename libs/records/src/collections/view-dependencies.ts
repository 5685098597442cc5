import { BadRequestError, nowAfter } from '@lib/core';
import type { TxExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';
import { viewFields } from './view-fields';

/** The words of a view query, lowercased: every table or view it reads is one of them (names are `\w+`). */
function words(sql: string): Set<string> {
  return new Set(sql.toLowerCase().match(/\w+/g) ?? []);
}

/**
 * The views of `all` that read any of `names`, directly or through other views of `all`. A name that appears in
 * a query as a column or a literal counts too: more views checked than needed, never one too few.
 */
export function dependentViews(all: readonly CollectionModel[], names: Iterable<string>): CollectionModel[] {
  const reached = new Set([...names].map((n) => n.toLowerCase()));
  let pending = all.filter((c) => c.type === 'view').map((view) => ({ view, words: words(view.viewQuery ?? '') }));
  const found: CollectionModel[] = [];
  for (let grew = true; grew;) {
    grew = false;
    const rest: typeof pending = [];
    for (const entry of pending) {
      if ([...entry.words].some((w) => reached.has(w))) {
        found.push(entry.view);
        reached.add(entry.view.name.toLowerCase());
        grew = true;
      } else {
        rest.push(entry);
      }
    }
    pending = rest;
  }
  return found;
}

/**
 * Each view must still compile after a change of what it reads (the first that doesn't is a 400), and its fields
 * follow its sources' (a field made hidden stays hidden in every view that reads it). `all`: every collection as
 * it is after the change. Views whose fields changed are saved through `save` and returned.
 */
export async function checkViews(
  tx: TxExecutor,
  views: readonly CollectionModel[],
  all: readonly CollectionModel[],
  message: string,
  save: (view: CollectionModel) => Promise<void>,
): Promise<CollectionModel[]> {
  const changed: CollectionModel[] = [];
  for (const view of views) {
    try {
      await tx.query(`SELECT * FROM "${view.name}" LIMIT 0`);
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^.*?: /, '').slice(0, 200) : 'invalid';
      throw new BadRequestError(message, {
        view: {
          code: 'validation_view_dependency',
          message: `View collection "${view.name}" depends on this change: ${reason}`,
        },
      });
    }
    const fields = await viewFields(tx, view.name, all, message);
    if (JSON.stringify(fields) !== JSON.stringify(view.fields)) {
      const updated = { ...view, fields, updated: nowAfter(view.updated) };
      await save(updated);
      changed.push(updated);
    }
  }
  return changed;
}
