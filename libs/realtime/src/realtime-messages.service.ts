import { Injectable } from '@nestjs/common';
import { applyFields, parseFields } from '@lib/query';
import { isSuperuser, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeRenderer } from './realtime-renderer';

/**
 * The record JSON of one event for each subscriber (reference §2.6): hidden fields only for superusers, the
 * email for its owner, `expand` and `fields` from the subscription options. Subscribers that would get the
 * same JSON share one rendering.
 */
@Injectable()
export class RealtimeMessages {
  constructor(private readonly renderer: RealtimeRenderer) {}

  /** A renderer for one event; call it per subscriber. Null when the record can't be rendered for them. */
  forEvent(c: CollectionModel, record: Record<string, unknown>) {
    const cache = new Map<string, Promise<Record<string, unknown> | null>>();
    return (req: RecordRequest): Promise<Record<string, unknown> | null> => {
      const expand = req.query.expand ?? '';
      const fields = req.query.fields ?? '';
      const own = req.auth !== null && req.auth.collectionId === c.id && req.auth.record.id === record.id;
      const who = expand ? `${req.auth?.collectionId ?? ''}/${(req.auth?.record.id as string | undefined) ?? ''}` : '';
      const key = JSON.stringify([isSuperuser(req), own, expand, fields, who]);
      let rendered = cache.get(key);
      if (!rendered) {
        rendered = this.render(c, record, req, expand, fields);
        cache.set(key, rendered);
      }
      return rendered;
    };
  }

  private async render(
    c: CollectionModel,
    record: Record<string, unknown>,
    req: RecordRequest,
    expand: string,
    fields: string,
  ): Promise<Record<string, unknown> | null> {
    try {
      const out = await this.renderer.present(c, record, req, expand);
      return fields ? (applyFields(out, parseFields(fields)) as Record<string, unknown>) : out;
    } catch {
      return null; // a bad expand/fields option silently drops the message (reference §8.6)
    }
  }
}
