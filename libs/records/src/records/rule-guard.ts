import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/core';
import { compileEvaluator, QueryCompiler, type InMemoryRule } from '@lib/query';
import type { CollectionModel } from '@lib/schema';
import { CollectionsRegistry } from '../collections/collections.registry';
import type { SqlPart } from './record.repository';
import { isSuperuser, requestInfo, type RecordRequest } from './record-request';

export type RuleKey = 'listRule' | 'viewRule' | 'createRule' | 'updateRule' | 'deleteRule' | 'manageRule' | 'authRule';

/** Turns a collection's API rule into a WHERE fragment for one request (reference §5). */
@Injectable()
export class RuleGuard {
  constructor(
    private readonly compiler: QueryCompiler,
    private readonly registry: CollectionsRegistry,
  ) {}

  /**
   * The condition the rule adds: `[]` when nothing needs checking (superuser or `""`), a fragment
   * otherwise. A locked (null) rule is a 403 for everyone but superusers.
   */
  condition(collection: CollectionModel, key: RuleKey, req: RecordRequest, body?: Record<string, unknown>): SqlPart[] {
    if (isSuperuser(req)) {
      return [];
    }
    const rule = collection[key];
    if (rule === null || rule === undefined) {
      throw new ForbiddenError('Only superusers can perform this action.');
    }
    if (rule.trim() === '') {
      return [];
    }
    return [this.compile(collection, rule, 'rule', req, body)];
  }

  /** Like `condition`, but a locked rule yields null instead of throwing (expand, rule-checked reads). */
  conditionOrNull(collection: CollectionModel, key: RuleKey, req: RecordRequest): SqlPart[] | null {
    if (!isSuperuser(req) && (collection[key] === null || collection[key] === undefined)) {
      return null;
    }
    return this.condition(collection, key, req);
  }

  /** A client `filter` (or rule text) compiled against the collection. */
  compile(
    collection: CollectionModel,
    expr: string,
    mode: 'rule' | 'filter',
    req: RecordRequest,
    body?: Record<string, unknown>,
  ): SqlPart {
    const compiled = this.compiler.compile(expr, {
      collection,
      schema: this.registry,
      mode,
      isSuperuser: isSuperuser(req),
      alias: 'r',
    });
    return { sql: compiled.sql, params: compiled.bind(requestInfo(req, body)) };
  }

  /**
   * A non-superuser's rule decided in memory against a row as stored (the create rule after its INSERT … RETURNING):
   * true / false, or undefined when it needs the database (a join, a value SQLite's affinity could read otherwise) —
   * then the caller runs the SQL. The evaluator is compiled once per collection model and rule.
   */
  evaluate(
    collection: CollectionModel,
    key: RuleKey,
    req: RecordRequest,
    record: Record<string, unknown>,
    body: Record<string, unknown>,
  ): boolean | undefined {
    const rule = collection[key];
    if (isSuperuser(req) || typeof rule !== 'string') {
      return undefined;
    }
    let rules = this.evaluators.get(collection);
    if (!rules) {
      rules = new Map();
      this.evaluators.set(collection, rules);
    }
    let evaluator = rules.get(key);
    if (evaluator === undefined) {
      const opts = { collection, schema: this.registry, mode: 'rule' as const, isSuperuser: false, alias: 'r' };
      evaluator = compileEvaluator(rule, opts);
      rules.set(key, evaluator);
    }
    return evaluator?.evaluate(record, requestInfo(req, body));
  }

  /** In-memory rules per collection model (a reloaded collection is a new model: its old entries go with it). */
  private readonly evaluators = new WeakMap<CollectionModel, Map<RuleKey, InMemoryRule | null>>();

  sort(collection: CollectionModel, sort: string, req: RecordRequest): SqlPart | null {
    if (!sort) {
      return null;
    }
    const compiled = this.compiler.compileSort(sort, {
      collection,
      schema: this.registry,
      mode: 'filter',
      isSuperuser: isSuperuser(req),
      alias: 'r',
    });
    return compiled.sql ? { sql: compiled.sql, params: compiled.bind(requestInfo(req)) } : null;
  }
}
