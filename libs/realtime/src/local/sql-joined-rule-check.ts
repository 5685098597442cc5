import { Injectable } from '@nestjs/common';
import type { CompiledExpression } from '@lib/query';
import { requestInfo, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { JoinedRuleCheck } from '../joined-rule-check';
import { RuleCheckRepository } from '../rule-check.repository';

/** One query per call: requests with the same bound parameters share one `UNION ALL` term. */
@Injectable()
export class SqlJoinedRuleCheck extends JoinedRuleCheck {
  constructor(private readonly checks: RuleCheckRepository) {
    super();
  }

  override async check(
    c: CollectionModel,
    _expression: unknown,
    compiled: CompiledExpression,
    record: Record<string, unknown>,
    requests: RecordRequest[],
  ): Promise<boolean[]> {
    const groups = new Map<string, { params: unknown[]; at: number[] }>();
    requests.forEach((req, i) => {
      const params = compiled.bind(requestInfo(req));
      const key = JSON.stringify(params);
      const group = groups.get(key) ?? { params, at: [] };
      group.at.push(i);
      groups.set(key, group);
    });
    const sets = [...groups.values()];
    const results = await this.checks.matches(
      c,
      record,
      compiled.sql,
      sets.map((g) => g.params),
    );
    const out = new Array<boolean>(requests.length).fill(false);
    sets.forEach((g, n) => g.at.forEach((i) => (out[i] = results[n])));
    return out;
  }
}
