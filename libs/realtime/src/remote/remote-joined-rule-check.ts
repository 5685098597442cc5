import { RecordsServiceClient } from '@lib/core';
import { Injectable } from '@nestjs/common';
import type { RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import type { WireRequest } from '../internal/internal-wire';
import { JoinedRuleCheck, type AccessExpression } from '../joined-rule-check';

/**
 * Joined rule checks through the records service: one `POST /api/_internal/rule-check` per event and
 * expression, with each distinct requester (auth record and subscription options) sent once.
 */
@Injectable()
export class RemoteJoinedRuleCheck extends JoinedRuleCheck {
  constructor(private readonly records: RecordsServiceClient) {
    super();
  }

  override async check(
    c: CollectionModel,
    expression: AccessExpression,
    _compiled: unknown,
    record: Record<string, unknown>,
    requests: RecordRequest[],
  ): Promise<boolean[]> {
    const distinct = new Map<string, number>();
    const wire: WireRequest[] = [];
    const slot = requests.map((req) => {
      const key = JSON.stringify([req.auth?.collectionId, req.auth?.record.id, req.query, req.headers]);
      let at = distinct.get(key);
      if (at === undefined) {
        at = wire.push(toWire(req)) - 1;
        distinct.set(key, at);
      }
      return at;
    });
    const { allowed } = await this.records.post<{ allowed: boolean[] }>('/api/_internal/rule-check', {
      collectionId: c.id,
      expression,
      record,
      requests: wire,
    });
    return slot.map((at) => allowed[at] === true);
  }
}

export function toWire(req: RecordRequest): WireRequest {
  return {
    auth: req.auth ? { collectionId: req.auth.collectionId, record: req.auth.record } : null,
    query: req.query,
    headers: req.headers,
  };
}
