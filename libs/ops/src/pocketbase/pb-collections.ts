import { parseIndex } from '@lib/schema';

/** A collection as PocketBase's JSON shows it (the `_collections` row with `options` spread in). */
export type PbCollection = Record<string, unknown> & {
  id: string;
  name: string;
  type: string;
  fields: PbField[];
  indexes: string[];
};
type PbField = Record<string, unknown> & { id: string; name: string; type: string; collectionId?: string };

const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule', 'manageRule'] as const;

const parse = (text: unknown, fallback: unknown): unknown => {
  if (typeof text !== 'string' || text === '') {
    return fallback;
  }
  return JSON.parse(text) as unknown;
};

/** A `_collections` row of PocketBase v0.23+ (`fields`, `indexes` and `options` as JSON text) as one object. */
export function fromCollectionRow(row: Record<string, unknown>): PbCollection {
  const { fields, indexes, options, system, ...rest } = row;
  return {
    ...rest,
    ...(parse(options, {}) as object),
    system: system === 1 || system === true,
    fields: parse(fields, []) as PbField[],
    indexes: parse(indexes, []) as string[],
  } as unknown as PbCollection;
}

/**
 * The order and shape in which the collections are first created, so that each one's relation targets exist
 * before it: tables by their relation dependencies (a cycle is broken by leaving a relation field out, added
 * by the second pass), then views. Rules are left out (they may name
 * collections created later; those of system collections stay); the second pass, the full import, puts them and the relation fields in place.
 */
export function creationOrder(all: readonly PbCollection[]): PbCollection[] {
  const tables = all.filter((c) => c.type !== 'view');
  const created = new Set<string>();
  const out: PbCollection[] = [];
  let pending = [...tables];
  while (pending.length > 0) {
    const ready = pending.filter((c) => targets(c).every((t) => t === c.id || created.has(t) || !has(all, t)));
    // A cycle: the first pending one goes without the relations it can't point at yet.
    const batch = ready.length > 0 ? ready : [pending[0]];
    for (const c of batch) {
      created.add(c.id);
      out.push(withoutRules(withoutEarlyRelations(c, created)));
    }
    pending = pending.filter((c) => !created.has(c.id));
  }
  return [...out, ...all.filter((c) => c.type === 'view').map(withoutRules)];
}

function has(all: readonly PbCollection[], id: string): boolean {
  return all.some((c) => c.id === id);
}

function targets(c: PbCollection): string[] {
  return c.fields.filter((f) => f.type === 'relation').map((f) => String(f.collectionId ?? ''));
}

function withoutEarlyRelations(c: PbCollection, created: ReadonlySet<string>): PbCollection {
  const early = (f: PbField) =>
    f.type === 'relation' && f.collectionId !== c.id && !created.has(String(f.collectionId));
  if (!c.fields.some(early)) {
    return c;
  }
  const left = new Set(c.fields.filter(early).map((f) => f.name));
  return {
    ...c,
    fields: c.fields.filter((f) => !early(f)),
    // An index over such a field waits for the second pass too.
    indexes: c.indexes.filter((sql) => {
      const parsed = parseIndex(sql);
      return !('columns' in parsed) || !parsed.columns.some((col) => left.has(col));
    }),
  };
}

/** A system collection's rules can't change after its creation (PocketBase's and nestbase's rule): kept. */
function withoutRules(c: PbCollection): PbCollection {
  if (c.system === true) {
    return c;
  }
  const out: PbCollection = { ...c };
  for (const rule of RULES) {
    if (rule in out) {
      out[rule] = null;
    }
  }
  if (typeof out.authRule === 'string' || out.authRule === null) {
    out.authRule = '';
  }
  return out;
}
