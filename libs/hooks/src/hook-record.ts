import { ValidationFailed, type FieldErrors } from '@lib/core';
import { exportRecord, type RecordData } from '@lib/records';
import { FIELD_KINDS, InvalidValue, type CollectionModel } from '@lib/schema';
import { text } from './jsvm/text';

/** The collection of a record, as hooks see it. */
export interface HookCollection {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}

/** Present while a record is being written: `set` keeps the write's validation up to date. */
export interface WriteTracking {
  changed: Set<string>;
  errors: FieldErrors;
  isNew: boolean;
}

/**
 * A record in a hook: `get`/`set`/`load` its fields, `original()` for its stored state. Values set on a
 * record being written are read as the API reads client input (`"3"` into a number field is 3) and
 * validated with the write; names that are not fields are kept on the object but never stored.
 */
export class HookRecord {
  /** The record as the API answers it, once `$apis.enrichRecord` presented it (what `toJSON` then gives). */
  private enrichedJson: Record<string, unknown> | null = null;

  constructor(
    private readonly model: CollectionModel,
    private readonly data: RecordData,
    private stored: RecordData | null = null,
    private readonly tracking: WriteTracking | null = null,
  ) {}

  get id(): string {
    return typeof this.data.id === 'string' ? this.data.id : '';
  }

  get collectionName(): string {
    return this.model.name;
  }

  collection(): HookCollection {
    return { id: this.model.id, name: this.model.name, type: this.model.type };
  }

  /** True for a record of the `_superusers` collection (`e.auth?.isSuperuser()`). */
  isSuperuser(): boolean {
    return this.model.name === '_superusers';
  }

  /** True for a record not yet stored (create hooks before `e.next()`, `app.newRecord`). */
  isNew(): boolean {
    return this.stored === null;
  }

  get(name: string): unknown {
    return this.data[name];
  }

  getString(name: string): string {
    const value = this.data[name];
    return value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }

  getBool(name: string): boolean {
    const value = this.data[name];
    return value === true || value === 1 || value === 'true' || value === '1';
  }

  getInt(name: string): number {
    const n = Math.trunc(Number(this.data[name] ?? 0));
    return Number.isFinite(n) ? n : 0;
  }

  getFloat(name: string): number {
    const n = Number(this.data[name] ?? 0);
    return Number.isFinite(n) ? n : 0;
  }

  getStringSlice(name: string): string[] {
    const value = this.data[name];
    return Array.isArray(value)
      ? value.map(String)
      : value === null || value === undefined || value === ''
        ? []
        : [text(value)];
  }

  /** The auth record's email (PocketBase's `record.email()`). */
  email(): string {
    return this.getString('email');
  }

  setEmail(email: string): void {
    this.set('email', email);
  }

  setPassword(password: string): void {
    this.set('password', password);
  }

  verified(): boolean {
    return this.getBool('verified');
  }

  setVerified(verified: boolean): void {
    this.set('verified', verified);
  }

  set(name: string, value: unknown): void {
    const field = this.model.fields.find((f) => f.name === name);
    if (!field) {
      this.data[name] = value;
      return;
    }
    const kind = FIELD_KINDS[field.type];
    try {
      this.data[name] = kind.normalize(value, field);
      if (this.enrichedJson && name in this.enrichedJson) {
        this.enrichedJson[name] = this.data[name];
      }
    } catch (error) {
      if (error instanceof InvalidValue) {
        throw new ValidationFailed({ [name]: error.fieldError });
      }
      throw error;
    }
    if (this.tracking) {
      this.tracking.changed.add(name);
      delete this.tracking.errors[name];
      const problem = kind.validate(this.data[name], field, { isNew: this.tracking.isNew });
      if (problem) {
        this.tracking.errors[name] = problem;
      }
    }
  }

  /** Sets several fields at once. */
  load(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) {
      this.set(name, value);
    }
  }

  /** The record as stored before this write (a copy of this record when it is new). */
  original(): HookRecord {
    return new HookRecord(this.model, { ...(this.stored ?? this.data) }, this.stored ? { ...this.stored } : null);
  }

  /** Answers with `json` from now on: the record as the API presents it to a request (`$apis.enrichRecord`). */
  enriched(json: Record<string, unknown>): void {
    this.enrichedJson = { ...json };
  }

  /**
   * Answers as to a guest until `enriched` (hidden fields and a hidden email left out): what a file without the await
   * rewrite sends when it answers before `$apis.enrichRecord` is done, rather than every field.
   */
  concealUntilEnriched(): void {
    this.enrichedJson = exportRecord(this.model, this.data, { isSuperuser: false, showEmail: false });
  }

  /**
   * Every field value (hidden ones too, passwords and token keys excepted), keyed by name; once enriched, what the
   * API answers the request with (visible fields, `expand`).
   */
  toJSON(): Record<string, unknown> {
    if (this.enrichedJson) {
      return { ...this.enrichedJson };
    }
    return exportRecord(this.model, this.data, { isSuperuser: true, showEmail: true });
  }

  /** Replaces the values with the stored ones after `app.save` (the record is then no longer new). */
  markStored(values: RecordData): void {
    for (const key of Object.keys(this.data)) {
      delete this.data[key];
    }
    Object.assign(this.data, values);
    this.stored = { ...values };
  }

  /** The fields whose value differs from the stored record (all set fields of a new one). */
  changes(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.data)) {
      if (!this.stored || JSON.stringify(this.stored[key]) !== JSON.stringify(value)) {
        out[key] = value;
      }
    }
    return out;
  }

  /** The underlying values (for the app helpers). */
  values(): RecordData {
    return this.data;
  }

  collectionModel(): CollectionModel {
    return this.model;
  }
}
