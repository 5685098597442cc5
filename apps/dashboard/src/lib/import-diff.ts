export interface ImportCollection {
  id?: string;
  name: string;
  type?: string;
  fields?: { id?: string; name: string; type: string; [k: string]: unknown }[];
  [key: string]: unknown;
}

export interface CollectionChange {
  name: string;
  /** Human-readable lines: `+ field title (text)`, `- field old`, `~ field x`, `~ listRule`. */
  lines: string[];
}

export interface ImportDiff {
  added: string[];
  changed: CollectionChange[];
  deleted: string[];
}

const COMPARED = ['type', 'listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule', 'viewQuery', 'indexes'];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function fieldLines(before: ImportCollection, after: ImportCollection): string[] {
  const lines: string[] = [];
  const old = before.fields ?? [];
  const next = after.fields ?? [];
  const match = (f: { id?: string; name: string }, list: typeof old) =>
    list.find((o) => (f.id && o.id === f.id) || o.name === f.name);
  for (const f of next) {
    const prev = match(f, old);
    if (!prev) {
      lines.push(`+ field ${f.name} (${f.type})`);
    } else if (!same(prev, f)) {
      lines.push(prev.name !== f.name ? `~ field ${prev.name} renamed to ${f.name}` : `~ field ${f.name}`);
    }
  }
  for (const f of old) {
    if (!match(f, next)) {
      lines.push(`- field ${f.name}`);
    }
  }
  return lines;
}

/** What importing `incoming` would do to `current` (PocketBase's import preview). */
export function importDiff(
  current: ImportCollection[],
  incoming: ImportCollection[],
  deleteMissing: boolean,
): ImportDiff {
  const find = (c: ImportCollection) => current.find((o) => (c.id && o.id === c.id) || o.name === c.name);
  const diff: ImportDiff = { added: [], changed: [], deleted: [] };
  for (const c of incoming) {
    const prev = find(c);
    if (!prev) {
      diff.added.push(c.name);
      continue;
    }
    const lines = [
      ...(prev.name !== c.name ? [`~ renamed from ${prev.name}`] : []),
      ...COMPARED.filter((key) => key in c && !same(prev[key], c[key])).map((key) => `~ ${key}`),
      ...fieldLines(prev, c),
    ];
    if (lines.length) {
      diff.changed.push({ name: c.name, lines });
    }
  }
  if (deleteMissing) {
    const kept = new Set(incoming.map((c) => find(c)?.name).filter(Boolean));
    diff.deleted = current.filter((c) => !kept.has(c.name) && !(c as { system?: boolean }).system).map((c) => c.name);
  }
  return diff;
}

/** Parses the pasted/uploaded JSON: an array of collections (or throws a readable error). */
export function parseImport(text: string): ImportCollection[] {
  const data = JSON.parse(text) as unknown;
  if (
    !Array.isArray(data) ||
    !data.every((c) => c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string')
  ) {
    throw new Error('Expected a JSON array of collections, each with a name.');
  }
  return data as ImportCollection[];
}
