import type { CollectionModel } from '@lib/schema';
import type { HookRecord } from '../hook-record';
import type { HookData } from '../hook-types';
import type { MigrationQueue, Queued } from './migration-queue';

type Obj = Record<string, unknown>;

/** What `new Record(collection)` accepts: a `Collection` of the migration (saved or not yet), or a name or id. */
export type CollectionRef = string | { id?: unknown; name?: unknown };

/**
 * `new Record(collection, data)` in a migration. The collection may be one the migration has only asked to save
 * so far (its calls run in order, later), so values are kept here and given to a `HookRecord` of the stored
 * collection when `app.save(record)` runs; from then on the record reads and writes through it.
 */
export class MigrationRecord {
  private pending: Obj = {};
  private target: HookRecord | null = null;

  constructor(
    private readonly collectionRef: CollectionRef,
    data: Obj = {},
  ) {
    this.load(data);
  }

  get id(): string {
    const id = this.get('id');
    return typeof id === 'string' ? id : '';
  }

  set id(value: string) {
    this.set('id', value);
  }

  get(name: string): unknown {
    return name in this.pending ? this.pending[name] : this.target?.get(name);
  }

  getString(name: string): string {
    const value = this.get(name);
    return value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }

  set(name: string, value: unknown): void {
    this.pending[name] = value;
  }

  load(values: Obj): void {
    Object.entries(values).forEach(([name, value]) => this.set(name, value));
  }

  setPassword(password: string): void {
    this.set('password', password);
  }

  setEmail(email: string): void {
    this.set('email', email);
  }

  setVerified(verified: boolean): void {
    this.set('verified', verified);
  }

  email(): string {
    return this.getString('email');
  }

  isNew(): boolean {
    return this.target?.isNew() ?? true;
  }

  toJSON(): Obj {
    return { ...(this.target?.toJSON() ?? {}), ...this.pending };
  }

  /** The collection's name or id as given (for finding its stored model when the record is saved). */
  collectionKey(): string {
    const ref = this.collectionRef;
    if (typeof ref === 'string') {
      return ref;
    }
    return typeof ref.id === 'string' && ref.id ? ref.id : typeof ref.name === 'string' ? ref.name : '';
  }

  /** The `HookRecord` to save: made on the first save, with the values set since applied to it. */
  resolve(data: HookData, collection: (idOrName: string) => CollectionModel): HookRecord {
    this.target ??= data.newRecord(collection(this.collectionKey()).id, {});
    const values = this.pending;
    this.pending = {};
    this.target.load(values);
    return this.target;
  }

  /** The stored record, once saved (for `app.delete`). */
  stored(): HookRecord | null {
    return this.target;
  }
}

/** A record being looked up: `await` it to read it; `set`, `load` and `app.save` work on it before that. */
export type PendingRecord = Queued<HookRecord> & Obj;

const LOOKUPS = new WeakMap<object, Queued<HookRecord>>();

/** The lookup behind a `PendingRecord` given to `app.save` / `app.delete`. */
export function lookupOf(model: unknown): Queued<HookRecord> | undefined {
  return model && typeof model === 'object' ? LOOKUPS.get(model) : undefined;
}

/** The answer of a record lookup: changes made to it before it is read are queued after the lookup. */
export function pendingRecord(queue: MigrationQueue, result: Queued<HookRecord>): PendingRecord {
  const later = (apply: (record: HookRecord) => void) => {
    queue.push(async () => apply(await result));
  };
  const unread = () => {
    throw new TypeError(
      'the record is still being looked up: read it with `await` (const record = await app.findRecordById(…))',
    );
  };
  const pending: PendingRecord = {
    then: (onFulfilled, onRejected) => result.then(onFulfilled, onRejected),
    catch: (onRejected) => result.catch(onRejected),
    finally: (onFinally) => result.finally(onFinally),
    set: (name: string, value: unknown) => later((r) => r.set(name, value)),
    load: (values: Obj) => later((r) => r.load(values)),
    setPassword: (password: string) => later((r) => r.set('password', password)),
    setEmail: (email: string) => later((r) => r.set('email', email)),
    setVerified: (verified: boolean) => later((r) => r.set('verified', verified)),
    get: unread,
    getString: unread,
  };
  LOOKUPS.set(pending, result);
  return pending;
}
