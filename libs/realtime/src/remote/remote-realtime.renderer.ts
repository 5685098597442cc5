import { HookPoints, RecordsServiceClient } from '@lib/core';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { exportRecord, isSuperuser, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeRenderer } from '../realtime-renderer';
import { toWire } from './remote-joined-rule-check';

/**
 * Renders in memory (visible fields, email visibility); `expand`, and collections with `onRecordEnrich` handlers (this
 * process loads the same pb_hooks files; the handlers run in the records service, which has the data helpers), through
 * the records service.
 */
@Injectable()
export class RemoteRealtimeRenderer extends RealtimeRenderer {
  constructor(
    private readonly records: RecordsServiceClient,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {
    super();
  }

  override async present(
    c: CollectionModel,
    record: Record<string, unknown>,
    req: RecordRequest,
    expand: string,
  ): Promise<Record<string, unknown>> {
    if (!expand && !this.hooks?.has('onRecordEnrich', c)) {
      const own = req.auth !== null && req.auth.collectionId === c.id && req.auth.record.id === record.id;
      return exportRecord(c, record, { isSuperuser: isSuperuser(req), showEmail: own });
    }
    const body = { collectionId: c.id, record, expand, request: toWire(req) };
    return (await this.records.post<{ record: Record<string, unknown> }>('/api/_internal/render', body)).record;
  }
}
