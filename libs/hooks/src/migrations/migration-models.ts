// The classes a migration file sees as globals, in PocketBase's shape: `new Collection({...})`, `new Field({...})`
// (and `new TextField({...})` …), `collection.fields.add(...)`, `unmarshal(data, model)`.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field definition: its JSON keys as properties. */
export class Field {
  [option: string]: unknown;

  constructor(data: Obj = {}) {
    Object.assign(this, structuredClone(data));
  }
}

function typedField(type: string): typeof Field {
  return class extends Field {
    constructor(data: Obj = {}) {
      super({ ...data, type });
    }
  };
}

/** `TextField`, `NumberField` … : a `Field` of that type. */
export const FIELD_CLASSES: Record<string, typeof Field> = {
  TextField: typedField('text'),
  NumberField: typedField('number'),
  BoolField: typedField('bool'),
  EmailField: typedField('email'),
  URLField: typedField('url'),
  EditorField: typedField('editor'),
  DateField: typedField('date'),
  AutodateField: typedField('autodate'),
  SelectField: typedField('select'),
  JSONField: typedField('json'),
  RelationField: typedField('relation'),
  FileField: typedField('file'),
  PasswordField: typedField('password'),
  GeoPointField: typedField('geoPoint'),
};

/** A collection's fields, with PocketBase's helpers. */
export class FieldsList extends Array<Field> {
  static fromJson(items: unknown): FieldsList {
    const list = new FieldsList();
    for (const item of Array.isArray(items) ? items : []) {
      list.push(item instanceof Field ? item : new Field(isObj(item) ? item : {}));
    }
    return list;
  }

  getById(id: string): Field | undefined {
    return this.find((f) => f.id === id);
  }

  getByName(name: string): Field | undefined {
    return this.find((f) => f.name === name);
  }

  fieldNames(): string[] {
    return Array.from(this, (f) => String(f.name));
  }

  /** Adds fields at the end; one with the id (or name) of an existing field replaces it in place. */
  add(...fields: Field[]): void {
    this.addAt(this.length, ...fields);
  }

  addAt(position: number, ...fields: Field[]): void {
    let at = position;
    for (const given of fields) {
      const field = given instanceof Field ? given : new Field(given);
      const index = this.findIndex((f) => (field.id && f.id === field.id) || (field.name && f.name === field.name));
      if (index >= 0) {
        this[index] = field;
      } else {
        this.splice(Math.min(at, this.length), 0, field);
        at++;
      }
    }
  }

  removeById(id: string): void {
    const index = this.findIndex((f) => f.id === id);
    if (index >= 0) {
      this.splice(index, 1);
    }
  }

  removeByName(name: string): void {
    const index = this.findIndex((f) => f.name === name);
    if (index >= 0) {
      this.splice(index, 1);
    }
  }
}

/** A collection definition: its JSON keys as properties (`fields` a `FieldsList`). */
export class Collection {
  [option: string]: unknown;
  fields: FieldsList = new FieldsList();

  constructor(data: Obj = {}) {
    unmarshal(data, this);
  }

  /** The JSON the collections service takes. */
  toJSON(): Obj {
    return JSON.parse(JSON.stringify({ ...this, fields: [...this.fields] })) as Obj;
  }
}

/**
 * PocketBase's `unmarshal(data, model)`: copies `data` into the model as JSON decoding would; nested objects
 * (auth options) are merged key by key, arrays and other values replaced.
 */
export function unmarshal(data: unknown, target: Obj): Obj {
  const source = typeof data === 'string' ? (JSON.parse(data) as unknown) : data;
  if (!isObj(source)) {
    return target;
  }
  for (const [key, value] of Object.entries(source)) {
    if (key === 'fields' && target instanceof Collection) {
      target.fields = FieldsList.fromJson(value);
    } else if (isObj(value) && isObj(target[key])) {
      unmarshal(value, target[key]);
    } else {
      target[key] = structuredClone(value);
    }
  }
  return target;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * After an import ran: `target` — what a lookup in the same migration returned, perhaps changed since — takes
 * what the store holds (ids, system fields, defaults), except what the migration changed on it after the import.
 */
export function catchUp(target: Collection, imported: Obj, stored: Obj): void {
  const kept = Object.keys(target)
    .filter((key) => key !== 'fields' && !same(target[key], imported[key]))
    .map((key) => [key, target[key]] as const);
  const before = FieldsList.fromJson(imported.fields);
  const changed = target.fields.filter((f) => !same(f, before.getByName(String(f.name))));
  const removed = before.filter((f) => !target.fields.getByName(String(f.name)));
  unmarshal(stored, target);
  for (const [key, value] of kept) {
    target[key] = value;
  }
  for (const field of changed) {
    field.id ||= target.fields.getByName(String(field.name))?.id;
    target.fields.add(field);
  }
  removed.forEach((f) => target.fields.removeByName(String(f.name)));
}
