// `docker compose -f docker-compose.yml -f <override>` as compose merges the files (its merge rules): services
// and top-level maps merge by key; in a service, `environment` and `depends_on` merge by name, `volumes` by their
// target path, `ports` add up, other maps (`deploy`, `healthcheck`) merge deeply and anything else is replaced.
// Compose's YAML tags `!reset` (drop what the earlier file set) and `!override` (replace it whole instead of
// merging) are honoured: the PostgreSQL variant drops the shared `pb_data` volume with them.
import { CollectionTag, parse, ScalarTag } from 'yaml';

/** A value under `!reset` or `!override`. */
class Tagged {
  constructor(
    readonly tag: '!reset' | '!override',
    readonly value: unknown,
  ) {}
}

const TAGS = (['!reset', '!override'] as const).flatMap((tag): (ScalarTag | CollectionTag)[] => {
  const collection: CollectionTag['resolve'] = (node) => new Tagged(tag, node.toJSON());
  return [
    { tag, resolve: (text: string) => new Tagged(tag, text === '' ? null : text) },
    { tag, collection: 'seq', resolve: collection },
    { tag, collection: 'map', resolve: collection },
  ];
});

type Doc = Record<string, unknown>;

/** One compose file's text (already interpolated) as data, `!reset`/`!override` values kept as tagged. */
export function parseComposeText(text: string): Doc {
  return parse(text, { merge: true, customTags: TAGS }) as Doc;
}

const isMap = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Tagged);

/** `environment` as a map (compose allows `KEY=value` lists too). */
function envMap(value: unknown): Doc {
  if (!Array.isArray(value)) {
    return { ...((value ?? {}) as Doc) };
  }
  return Object.fromEntries(
    value.map((entry) => {
      const text = String(entry);
      const at = text.indexOf('=');
      return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
    }),
  );
}

/** `depends_on` as a map (a list means `condition: service_started`). */
function dependsMap(value: unknown): Doc {
  return Array.isArray(value)
    ? Object.fromEntries(value.map((name) => [String(name), { condition: 'service_started' }]))
    : { ...((value ?? {}) as Doc) };
}

/** The container path a `volumes` entry mounts (short `src:target[:mode]` or long `{ target }` syntax). */
function volumeTarget(entry: unknown): string {
  return isMap(entry) ? String(entry.target) : (String(entry).split(':')[1] ?? String(entry));
}

function mergeValue(key: string, base: unknown, over: unknown, service: boolean): unknown {
  if (over instanceof Tagged) {
    return over.tag === '!reset' ? undefined : over.value;
  }
  if (base === undefined) {
    return over;
  }
  switch (service ? key : '') {
    case 'environment':
      return { ...envMap(base), ...envMap(over) };
    case 'depends_on':
      return { ...dependsMap(base), ...dependsMap(over) };
    case 'volumes': {
      const list = [...(base as unknown[])];
      for (const entry of over as unknown[]) {
        const at = list.findIndex((b) => volumeTarget(b) === volumeTarget(entry));
        if (at === -1) {
          list.push(entry);
        } else {
          list[at] = entry;
        }
      }
      return list;
    }
    case 'ports':
      return [...(base as unknown[]), ...(over as unknown[])];
    default:
      return isMap(base) && isMap(over) ? mergeMaps(base, over) : over;
  }
}

/** `service`: the keys are a service's (their own merge rules); deeper maps merge plainly. */
function mergeMaps(base: Doc, over: Doc, service = false): Doc {
  const out: Doc = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const merged = mergeValue(key, base[key], value, service);
    if (merged === undefined) {
      delete out[key];
    } else {
      out[key] = merged;
    }
  }
  return out;
}

/** The files merged in order, as `docker compose -f a -f b` sees them. */
export function mergeCompose(docs: Doc[]): Doc {
  const [first, ...rest] = docs;
  let out = mergeMaps({}, first);
  for (const doc of rest) {
    const services = { ...((out.services ?? {}) as Record<string, Doc>) };
    for (const [name, service] of Object.entries((doc.services ?? {}) as Record<string, Doc>)) {
      services[name] = mergeMaps(services[name] ?? {}, service, true);
    }
    out = { ...mergeMaps(out, { ...doc, services: {} }), services };
  }
  return out;
}
