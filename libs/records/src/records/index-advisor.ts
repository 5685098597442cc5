import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, AppLogSink } from '@lib/core';
import { parseIndex, type CollectionModel } from '@lib/schema';
import { equalityFields } from '../collections/rule-indexes';

/** slog's WARN, the level of an app log entry PocketBase shows as a warning. */
const WARN = 4;
/** One entry per collection and suggestion per this many ms: a slow list under load is one line, not thousands. */
const REPEAT_MS = 60_000;
const MAX_REMEMBERED = 1000;

export interface IndexSuggestion {
  columns: string[];
  sql: string;
}

/** Plain sort fields of a `sort` text, in order (`-created,title` -> created, title); relations and macros end it. */
function sortFields(c: CollectionModel, sort: string): string[] {
  const out: string[] = [];
  for (const part of sort.split(',')) {
    const name = part.trim().replace(/^[-+]/, '');
    if (!c.fields.some((f) => f.name === name) || name === 'id') {
      break;
    }
    out.push(name);
  }
  return out;
}

/**
 * The index that would serve a list: the columns the rule and the filter compare with `=` to a value (equality
 * seeks first), then the sort's columns (the rows come out in order, no temporary B-tree); null when there is none
 * to name or an index of the collection already starts with those columns.
 */
export function suggestIndex(c: CollectionModel, rule: string, filter: string, sort: string): IndexSuggestion | null {
  if (c.type === 'view') {
    return null;
  }
  const isValue = (o: { type: string; name?: string }) => o.type !== 'identifier' || String(o.name).startsWith('@');
  const equal = [...equalityFields(c, rule, isValue), ...equalityFields(c, filter, isValue)];
  const columns = [...new Set([...equal, ...sortFields(c, sort)])];
  if (columns.length === 0) {
    return null;
  }
  const served = c.indexes.some((sql) => {
    const p = parseIndex(sql);
    return !('code' in p) && !p.where && columns.every((col, i) => p.columns[i] === col);
  });
  if (served) {
    return null;
  }
  const name = `idx_${c.name}_${columns.join('_')}`;
  return { columns, sql: `CREATE INDEX \`${name}\` ON \`${c.name}\` (${columns.map((n) => `\`${n}\``).join(', ')})` };
}

/**
 * The index advisor (issue 16): a list request as slow as `NB_SLOW_LIST_MS` leaves a warning in the app logs
 * (`GET /api/logs`, the dashboard's Logs) naming the collection, its filter and sort, the time, and the
 * `CREATE INDEX` statement that would serve it — to add to the collection's `indexes`.
 */
@Injectable()
export class IndexAdvisor {
  private readonly told = new Map<string, number>();
  private readonly slowMs: number;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.slowMs = config.cost.slowListMs;
  }

  /**
   * `suggestIndex` per collection model and rule, filter and sort: under load every list may be slow, and the same
   * few parse again and again. A model is replaced on every collection reload, which drops its suggestions.
   */
  private readonly suggestions = new WeakMap<CollectionModel, Map<string, IndexSuggestion | null>>();

  private suggestionFor(c: CollectionModel, q: { rule: string; filter: string; sort: string }): IndexSuggestion | null {
    let known = this.suggestions.get(c);
    if (!known) {
      known = new Map();
      this.suggestions.set(c, known);
    }
    const key = `${q.rule}\n${q.filter}\n${q.sort}`;
    let suggestion = known.get(key);
    if (suggestion === undefined) {
      suggestion = suggestIndex(c, q.rule, q.filter, q.sort);
      if (known.size >= MAX_REMEMBERED) {
        known.clear();
      }
      known.set(key, suggestion);
    }
    return suggestion;
  }

  /** Whether a list that took `ms` is worth a look (cheap: called on every list). */
  isSlow(ms: number): boolean {
    return this.slowMs >= 0 && ms >= this.slowMs;
  }

  /** Logs the slow list of `c` (at most once a minute per collection and suggestion). */
  observe(c: CollectionModel, q: { rule: string; filter: string; sort: string }, ms: number): void {
    if (!this.isSlow(ms)) {
      return;
    }
    const suggestion = this.suggestionFor(c, q);
    const key = `${c.id}\n${suggestion?.sql ?? ''}`;
    const now = Date.now();
    if ((this.told.get(key) ?? -Infinity) > now - REPEAT_MS) {
      return;
    }
    if (this.told.size >= MAX_REMEMBERED) {
      this.told.clear();
    }
    this.told.set(key, now);
    const advice = suggestion ? `; an index would serve it: ${suggestion.sql}` : '';
    AppLogSink.write(WARN, `Slow list of "${c.name}" (${Math.round(ms)} ms)${advice}`, {
      type: 'app',
      context: 'index-advisor',
      collection: c.name,
      filter: q.filter,
      sort: q.sort,
      durationMs: Math.round(ms),
      suggestedIndex: suggestion?.sql ?? null,
    });
  }
}
