import { HookRecord } from '../hook-record';
import { queued, services, type JsvmHost } from './jsvm-context';
import { text } from './text';

/** What `$apis.enrichRecord` reads of a request event: who asks, and the request's `expand`. */
interface EnrichEvent {
  auth?: HookRecord | null;
  requestInfo?: () => { query?: Record<string, unknown>; auth?: HookRecord | null };
}

/**
 * PocketBase's `$apis.enrichRecord(e, record, ...defaultExpands)` / `enrichRecords(e, records, ...)`: the records
 * become what the API would answer the event's requester — fields it may not see hidden (emails by
 * `emailVisibility`, hidden fields), the request's `?expand=` and the default expands expanded under the view rules
 * — so `e.json(200, record)` sends that. Asynchronous here (the expand reads): awaited like `$app.save`.
 */
export function enrichApis(host: JsvmHost) {
  const enrich = (e: EnrichEvent, records: unknown[], defaults: string[]) => {
    for (const record of records) {
      if (record instanceof HookRecord) {
        record.concealUntilEnriched();
      }
    }
    return queued(async () => {
      const present = services(host).presentRecords;
      if (!present) {
        throw new Error('$apis.enrichRecord: this process answers no record reads');
      }
      const info = typeof e.requestInfo === 'function' ? e.requestInfo() : {};
      const auth = info.auth ?? e.auth ?? null;
      const expand = [...new Set([...text(info.query?.expand ?? '').split(','), ...defaults])]
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .join(',');
      for (const record of records) {
        if (!(record instanceof HookRecord)) {
          throw new TypeError('$apis.enrichRecord: not a record');
        }
        const [json] = await present(record.collection().id, [record.values()], auth, expand);
        record.enriched(json);
      }
    });
  };
  return {
    enrichRecord: (e: EnrichEvent, record: unknown, ...defaults: string[]) => enrich(e, [record], defaults),
    enrichRecords: (e: EnrichEvent, records: unknown[], ...defaults: string[]) => enrich(e, [...records], defaults),
  };
}
