import { Injectable } from '@nestjs/common';
import { RecordPresenter, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeRenderer } from '../realtime-renderer';

/** Renders with the records lib's presenter (expand reads the shared database). */
@Injectable()
export class LocalRealtimeRenderer extends RealtimeRenderer {
  constructor(private readonly presenter: RecordPresenter) {
    super();
  }

  override async present(
    c: CollectionModel,
    record: Record<string, unknown>,
    req: RecordRequest,
    expand: string,
  ): Promise<Record<string, unknown>> {
    const [out] = await this.presenter.present(c, [record], req, expand || undefined);
    return out;
  }
}
