import type { CollectionModel } from '@lib/schema';
import type { HookRecord } from '../hook-record';
import type { HookData } from '../hook-types';

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
