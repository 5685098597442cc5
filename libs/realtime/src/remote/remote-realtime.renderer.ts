import { RecordsServiceClient } from '@lib/core';
import { Injectable } from '@nestjs/common';
import { exportRecord, isSuperuser, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeRenderer } from '../realtime-renderer';
import { toWire } from './remote-joined-rule-check';

/** Renders in memory (visible fields, email visibility); `expand` reads related records through the records service. */
@Injectable()
export class RemoteRealtimeRenderer extends RealtimeRenderer {
  constructor(private readonly records: RecordsServiceClient) {
    super();
  }

  override async present(
    c: CollectionModel,
    record: Record<string, unknown>,
    req: RecordRequest,
    expand: string,
  ): Promise<Record<string, unknown>> {
    if (!expand) {
      const own = req.auth !== null && req.auth.collectionId === c.id && req.auth.record.id === record.id;
      return exportRecord(c, record, { isSuperuser: isSuperuser(req), showEmail: own });
    }
    const body = { collectionId: c.id, record, expand, request: toWire(req) };
    return (await this.records.post<{ record: Record<string, unknown> }>('/api/_internal/render', body)).record;
  }
}
