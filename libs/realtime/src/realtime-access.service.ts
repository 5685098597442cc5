import { Injectable, Logger } from '@nestjs/common';
import { compileEvaluator, QueryCompiler, type CompiledExpression, type InMemoryRule } from '@lib/query';
import { CollectionsRegistry, isSuperuser, requestInfo, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RuleCheckRepository } from './rule-check.repository';

interface Compiled {
  sql: CompiledExpression | null;
  memory: InMemoryRule | null;
}

/** How a check reads its expression: a rule of the collection, or a subscriber's `filter` option. */
export type AccessExpression = { rule: 'listRule' | 'viewRule' } | { filter: string };

const MAX_CACHE = 1000;

/**
 * Decides, for one record and many realtime requests, which pass a rule or filter (reference §8): superusers
 * always, a locked rule nobody else, `""` everyone; otherwise in memory when the expression needs no join and
 * SQLite affinity can't change the answer, and the rest in one batched query per expression.
 */
@Injectable()
export class RealtimeAccess {
  private readonly cache = new Map<string, Compiled>();
  private readonly logger = new Logger('RealtimeAccess');
  /** Counters for the benchmark and logs: decisions made in memory and by SQL. */
  readonly stats = { memory: 0, sql: 0, queries: 0 };

  constructor(
    private readonly compiler: QueryCompiler,
    private readonly registry: CollectionsRegistry,
    private readonly checks: RuleCheckRepository,
  ) {}

  async check(
    c: CollectionModel,
    expression: AccessExpression,
    record: Record<string, unknown>,
    requests: RecordRequest[],
  ): Promise<boolean[]> {
    const out = new Array<boolean>(requests.length).fill(false);
    const text = 'rule' in expression ? c[expression.rule] : expression.filter;
    const pending = new Map<string, { params: unknown[]; at: number[] }>();
    let sql: CompiledExpression | null = null;
    for (const [i, req] of requests.entries()) {
      const superuser = isSuperuser(req);
      if ('rule' in expression && (superuser || text === '')) {
        out[i] = true;
        continue;
      }
      if (text === null || text === undefined) {
        continue;
      }
      const compiled = this.compiled(c, text, 'rule' in expression ? 'rule' : 'filter', superuser);
      if (!compiled.sql) {
        continue;
      }
      const info = requestInfo(req);
      const decided = compiled.memory?.evaluate(record, info);
      if (decided !== undefined) {
        this.stats.memory++;
        out[i] = decided;
        continue;
      }
      sql ??= compiled.sql;
      if (compiled.sql !== sql) {
        out[i] = (await this.sqlCheck(c, record, compiled.sql, [compiled.sql.bind(info)]))[0];
        continue;
      }
      const params = sql.bind(info);
      const key = JSON.stringify(params);
      const entry = pending.get(key) ?? { params, at: [] };
      entry.at.push(i);
      pending.set(key, entry);
    }
    if (sql && pending.size > 0) {
      const groups = [...pending.values()];
      const results = await this.sqlCheck(
        c,
        record,
        sql,
        groups.map((g) => g.params),
      );
      groups.forEach((g, n) => g.at.forEach((i) => (out[i] = results[n])));
    }
    return out;
  }

  private async sqlCheck(
    c: CollectionModel,
    record: Record<string, unknown>,
    sql: CompiledExpression,
    sets: unknown[][],
  ) {
    this.stats.sql += sets.length;
    this.stats.queries++;
    try {
      return await this.checks.matches(c, record, sql.sql, sets);
    } catch (error) {
      this.logger.warn(`rule check on ${c.name} failed: ${String(error)}`);
      return sets.map(() => false);
    }
  }

  /** The SQL (null when the expression is invalid for this requester) and the in-memory form, cached. */
  private compiled(c: CollectionModel, text: string, mode: 'rule' | 'filter', superuser: boolean): Compiled {
    const key = JSON.stringify([c.id, c.updated, mode, mode === 'filter' && superuser, text]);
    const hit = this.cache.get(key);
    if (hit) {
      return hit;
    }
    const opts = { collection: c, schema: this.registry, mode, isSuperuser: superuser, alias: 'r' };
    let compiled: Compiled;
    try {
      compiled = { sql: this.compiler.compile(text, opts), memory: compileEvaluator(text, opts) };
    } catch {
      compiled = { sql: null, memory: null };
    }
    if (this.cache.size >= MAX_CACHE) {
      this.cache.clear();
    }
    this.cache.set(key, compiled);
    return compiled;
  }
}
