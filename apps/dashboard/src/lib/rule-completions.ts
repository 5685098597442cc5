/** What the rule editor knows about the schema to complete names (collections as the SDK returns them). */
export interface SchemaField {
  name: string;
  type: string;
  collectionId?: string;
}
export interface SchemaCollection {
  id: string;
  name: string;
  type: string;
  fields: SchemaField[];
}

export interface Suggestion {
  label: string;
  /** `field`, `request`, `collection`, `macro`, `modifier`, `function` or `keyword`. */
  kind: string;
  detail?: string;
}

export const MACROS = [
  '@now',
  '@second',
  '@minute',
  '@hour',
  '@weekday',
  '@day',
  '@month',
  '@year',
  '@yesterday',
  '@tomorrow',
  '@todayStart',
  '@todayEnd',
  '@monthStart',
  '@monthEnd',
  '@yearStart',
  '@yearEnd',
];
export const MODIFIERS = [':isset', ':changed', ':length', ':each', ':lower'];
export const REQUEST_KEYS = [
  '@request.auth.',
  '@request.body.',
  '@request.query.',
  '@request.headers.',
  '@request.method',
  '@request.context',
];
const AUTH_BASE = ['id', 'collectionId', 'collectionName', 'email', 'emailVisibility', 'verified'];

/** The word being typed at the end of `before`: names, dots, `@` and modifiers. */
export function currentWord(before: string): string {
  return /[@\w.:]*$/.exec(before)?.[0] ?? '';
}

/** Field paths of a collection up to `depth` relation hops (`owner`, `owner.email`, …). */
export function fieldPaths(collection: SchemaCollection, all: SchemaCollection[], depth = 2, prefix = ''): string[] {
  const out: string[] = [];
  for (const field of collection.fields) {
    if (field.type === 'password') {
      continue;
    }
    out.push(prefix + field.name);
    if (field.type === 'relation' && depth > 0) {
      const target = all.find((c) => c.id === field.collectionId);
      if (target) {
        out.push(...fieldPaths(target, all, depth - 1, `${prefix}${field.name}.`));
      }
    }
  }
  return out;
}

function authFields(all: SchemaCollection[]): string[] {
  const names = new Set(AUTH_BASE);
  for (const c of all) {
    if (c.type === 'auth') {
      c.fields.filter((f) => f.type !== 'password' && !f.name.startsWith('token')).forEach((f) => names.add(f.name));
    }
  }
  return [...names];
}

/** A records filter (the list's filter bar) rather than an API rule: no request body, no `:changed`. */
export interface SuggestOptions {
  filter?: boolean;
}

/**
 * Suggestions for the word before the cursor in an API rule or filter of `collection`: its fields (and
 * relation paths: two hops in rules, one in a records filter), `@request.*`, `@collection.<name>.<field>`,
 * macros, modifiers after a field, functions.
 */
export function ruleSuggestions(
  word: string,
  collection: SchemaCollection | null,
  all: SchemaCollection[],
  options: SuggestOptions = {},
): Suggestion[] {
  const depth = options.filter ? 1 : 2;
  const fieldsOf = (c: SchemaCollection | null | undefined) => (c ? fieldPaths(c, all, depth) : []);
  const requestKeys = options.filter ? REQUEST_KEYS.filter((k) => k !== '@request.body.') : REQUEST_KEYS;
  const colon = word.lastIndexOf(':');
  if (colon > 0) {
    const modifiers = options.filter ? MODIFIERS.filter((m) => m !== ':changed') : MODIFIERS;
    return modifiers.map((m) => ({ label: word.slice(0, colon) + m, kind: 'modifier' }));
  }
  if (word.startsWith('@request.auth.')) {
    return authFields(all).map((f) => ({ label: `@request.auth.${f}`, kind: 'request' }));
  }
  if (word.startsWith('@request.body.') && !options.filter) {
    return fieldsOf(collection)
      .filter((f) => !f.includes('.'))
      .map((f) => ({ label: `@request.body.${f}`, kind: 'request' }));
  }
  if (word.startsWith('@request')) {
    return requestKeys.map((label) => ({ label, kind: 'request' }));
  }
  if (word.startsWith('@collection.')) {
    const rest = word.slice('@collection.'.length);
    const dot = rest.indexOf('.');
    if (dot === -1) {
      return all.map((c) => ({ label: `@collection.${c.name}.`, kind: 'collection', detail: c.type }));
    }
    const target = all.find((c) => c.name === rest.slice(0, dot));
    return fieldsOf(target).map((f) => ({ label: `@collection.${rest.slice(0, dot)}.${f}`, kind: 'field' }));
  }
  if (word.startsWith('@')) {
    return [
      ...requestKeys.map((label) => ({ label, kind: 'request' })),
      { label: '@collection.', kind: 'collection' },
      ...MACROS.map((label) => ({ label, kind: 'macro' })),
    ];
  }
  const fields = fieldsOf(collection).map((label) => ({ label, kind: 'field' }));
  const functions = ['geoDistance(', 'strftime('].map((label) => ({ label, kind: 'function' }));
  const keywords = ['null', 'true', 'false'].map((label) => ({ label, kind: 'keyword' }));
  return [...fields, ...functions, ...keywords].filter((s) => word === '' || s.label.startsWith(word));
}

/** Keeps the suggestions that start with the typed word (case-sensitive, as field names are). */
export function matching(word: string, suggestions: Suggestion[]): Suggestion[] {
  return suggestions.filter((s) => s.label.startsWith(word) && s.label !== word);
}
