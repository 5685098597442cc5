import { exportRecord, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { HookRecord } from './hook-record';

/** Keys of a record's JSON that are not fields but always written out. */
const SYSTEM_KEYS = new Set(['collectionId', 'collectionName', 'expand']);
/** Never written out, whatever a hook unhides. */
const SECRET_KEYS = new Set(['password', 'tokenKey']);

/**
 * `e.record` of `onRecordEnrich`: the record JSON about to be sent (an API answer or a realtime message). `set`
 * changes a value, `hide(...names)` leaves fields out, `unhide(...names)` writes hidden fields (and an auth record's
 * email) out, `withCustomData(true)` lets `set` add keys that are not fields (left out otherwise, as PocketBase does).
 */
export class EnrichRecord extends HookRecord {
  private custom = false;

  constructor(
    private readonly c: CollectionModel,
    private readonly out: Record<string, unknown>,
    private readonly raw: RecordData,
  ) {
    super(c, out, raw);
  }

  hide(...names: (string | string[])[]): this {
    names.flat().forEach((name) => delete this.out[name]);
    return this;
  }

  unhide(...names: (string | string[])[]): this {
    const all = exportRecord(this.c, this.raw, { isSuperuser: true, showEmail: true });
    for (const name of names.flat()) {
      if (name in all && !SECRET_KEYS.has(name)) {
        this.out[name] = all[name];
      }
    }
    return this;
  }

  withCustomData(on: boolean): this {
    this.custom = on;
    return this;
  }

  /** After the handlers: keys set that are neither fields nor system keys are dropped unless custom data is on. */
  finish(before: ReadonlySet<string>): void {
    if (this.custom) {
      return;
    }
    const fields = new Set(this.c.fields.map((f) => f.name));
    for (const key of Object.keys(this.out)) {
      if (!before.has(key) && !fields.has(key) && !SYSTEM_KEYS.has(key)) {
        delete this.out[key];
      }
    }
  }
}
