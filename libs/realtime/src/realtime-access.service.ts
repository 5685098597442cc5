import { Injectable, Logger } from '@nestjs/common';
import {
  compileEvaluator,
  QueryCompiler,
  type CompiledExpression,
  type InMemoryRule,
  type SchemaLookup,
} from '@lib/query';
import { isSuperuser, requestInfo, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { JoinedRuleCheck, type AccessExpression } from './joined-rule-check';
import { RealtimeCollections } from './realtime-collections';

interface Compiled {
  sql: CompiledExpression | null;
  memory: InMemoryRule | null;
}

const MAX_CACHE = 1000;

/**
 * Decides, for one record and many realtime requests, which pass a rule or filter (reference §8): superusers
 * always, a locked rule nobody else, `""` everyone; otherwise in memory when the expression needs no join and
 * SQLite affinity can't change the answer, and the rest in one batched call per expression (`JoinedRuleCheck`).
 * A subscription `filter` can't name hidden fields, not even a superuser's (it would leak them one bit at a time).
 */
@Injectable()
export class RealtimeAccess {
  private readonly cache = new Map<string, Compiled>();
  private readonly logger = new Logger('RealtimeAccess');
  /** Counters for the benchmark and logs: decisions made in memory and by the joined check. */
  readonly stats = { memory: 0, sql: 0, queries: 0 };

  constructor(
    private readonly compiler: QueryCompiler,
    private readonly collections: RealtimeCollections,
    private readonly joined: JoinedRuleCheck,
  ) {}

  async check(
    c: CollectionModel,
    expression: AccessExpression,
    record: Record<string, unknown>,
    requests: RecordRequest[],
  ): Promise<boolean[]> {
    const out = new Array<boolean>(requests.length).fill(false);
    const text = 'rule' in expression ? c[expression.rule] : expression.filter;
    const pending = new Map<Compiled, { at: number[]; reqs: RecordRequest[] }>();
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
      const decided = compiled.memory?.evaluate(record, requestInfo(req));
      if (decided !== undefined) {
        this.stats.memory++;
        out[i] = decided;
        continue;
      }
      const group = pending.get(compiled) ?? { at: [], reqs: [] };
      group.at.push(i);
      group.reqs.push(req);
      pending.set(compiled, group);
    }
    for (const [compiled, group] of pending) {
      const results = await this.joinedCheck(c, expression, compiled.sql!, record, group.reqs);
      group.at.forEach((i, n) => (out[i] = results[n]));
    }
    return out;
  }

  private async joinedCheck(
    c: CollectionModel,
    expression: AccessExpression,
    sql: CompiledExpression,
    record: Record<string, unknown>,
    reqs: RecordRequest[],
  ): Promise<boolean[]> {
    this.stats.sql += reqs.length;
    this.stats.queries++;
    try {
      return await this.joined.check(c, expression, sql, record, reqs);
    } catch (error) {
      this.logger.warn(`rule check on ${c.name} failed: ${String(error)}`);
      return reqs.map(() => false);
    }
  }

  /** The SQL (null when the expression is invalid for this requester) and the in-memory form, cached. */
  private compiled(c: CollectionModel, text: string, mode: 'rule' | 'filter', superuser: boolean): Compiled {
    const key = JSON.stringify([c.id, c.updated, mode, mode === 'filter' && superuser, text]);
    const hit = this.cache.get(key);
    if (hit) {
      return hit;
    }
    const registry = this.collections.registry;
    const schema = mode === 'filter' ? withoutHiddenFields(registry) : registry;
    const collection = mode === 'filter' ? stripHidden(c) : c;
    const opts = { collection, schema, mode, isSuperuser: superuser, alias: 'r' };
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

/** The collection as a subscription filter sees it: hidden fields are unknown there (reference §8.3). */
function stripHidden(c: CollectionModel): CollectionModel {
  return c.fields.some((f) => f.hidden) ? { ...c, fields: c.fields.filter((f) => !f.hidden) } : c;
}

function withoutHiddenFields(schema: SchemaLookup): SchemaLookup {
  return {
    findCollection: (nameOrId) => {
      const c = schema.findCollection(nameOrId);
      return c && stripHidden(c);
    },
    allCollections: () => schema.allCollections().map(stripHidden),
  };
}
