/** The per-subscription `options` the SDK appends as `?options=<json>` (reference §2.6). */
export interface TopicOptions {
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** One subscription: the full key (also the SSE event name), what it matches, and its options. */
export interface Topic {
  key: string;
  /** Collection name or id; '' for custom topics such as `@oauth2`. */
  collection: string;
  /** A record id, or null for the whole collection (`coll/*` and the legacy `coll`). */
  recordId: string | null;
  options: TopicOptions;
}

const OPTIONS_MARK = '?options=';

/** What one client may subscribe to, over SSE and WebSocket alike (PocketBase: 1000 topics of 2500 characters). */
export const MAX_TOPICS = 1000;
export const MAX_TOPIC_LENGTH = 2500;

/**
 * Why `topics` can't be a client's subscription set (`count`: how many it would hold then), or null. A topic is the
 * SSE `event:` name of its messages, so a line break in it would forge fields or frames into the stream.
 */
export function topicsProblem(topics: readonly unknown[], count = topics.length): string | null {
  if (count > MAX_TOPICS || topics.some((t) => typeof t !== 'string' || t.length > MAX_TOPIC_LENGTH)) {
    return `Up to ${MAX_TOPICS} topics of at most ${MAX_TOPIC_LENGTH} characters.`;
  }
  return topics.some((t) => /[\r\n]/.test(t as string)) ? 'A topic may not hold a line break.' : null;
}

function stringMap(value: unknown, snake: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return out;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const name = snake ? key.toLowerCase().replace(/-/g, '_') : key;
    out[name] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** Parses a subscription string; unreadable options count as none. */
export function parseTopic(key: string): Topic {
  const mark = key.indexOf(OPTIONS_MARK);
  const base = mark >= 0 ? key.slice(0, mark) : key;
  let options: TopicOptions = { query: {}, headers: {} };
  if (mark >= 0) {
    try {
      const parsed = JSON.parse(decodeURIComponent(key.slice(mark + OPTIONS_MARK.length))) as Record<string, unknown>;
      options = { query: stringMap(parsed?.query, false), headers: stringMap(parsed?.headers, true) };
    } catch {
      // PocketBase ignores options it can't read.
    }
  }
  if (base.startsWith('@')) {
    return { key, collection: '', recordId: null, options };
  }
  const slash = base.indexOf('/');
  if (slash < 0) {
    return { key, collection: base, recordId: null, options };
  }
  const recordId = base.slice(slash + 1);
  return { key, collection: base.slice(0, slash), recordId: recordId === '*' ? null : recordId, options };
}
