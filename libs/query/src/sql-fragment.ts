import type { RequestInfo } from './query.types';

/** What a bound parameter is computed from: the request and one clock reading shared by the whole bind call. */
export interface BindContext {
  request: RequestInfo;
  now: Date;
}

export type Binder = (ctx: BindContext) => unknown;

/** A piece of SQL text with its `?` placeholders' binders, in placeholder order. */
export interface Frag {
  readonly sql: string;
  readonly params: readonly Binder[];
}

/** Trusted SQL text (keywords, resolved and quoted identifiers) with no placeholders. */
export function raw(sqlText: string): Frag {
  return { sql: sqlText, params: [] };
}

export function param(binder: Binder): Frag {
  return { sql: '?', params: [binder] };
}

export function constant(value: unknown): Frag {
  return param(() => value);
}

/** Template tag joining fragments; the literal parts are trusted SQL. */
export function sql(strings: TemplateStringsArray, ...parts: Frag[]): Frag {
  let text = strings[0];
  const params: Binder[] = [];
  parts.forEach((part, i) => {
    text += part.sql + strings[i + 1];
    params.push(...part.params);
  });
  return { sql: text, params };
}

export function joinFrags(parts: readonly Frag[], separator: string): Frag {
  return {
    sql: parts.map((p) => p.sql).join(separator),
    params: parts.flatMap((p) => p.params),
  };
}
