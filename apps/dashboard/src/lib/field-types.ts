/** A collection field as the API returns it (common keys plus the type's options). */
export interface FieldModel {
  id?: string;
  name: string;
  type: string;
  system?: boolean;
  hidden?: boolean;
  presentable?: boolean;
  required?: boolean;
  [option: string]: unknown;
}

export interface FieldType {
  type: string;
  label: string;
  icon: string;
  /** The options of a new field of this type (PocketBase's defaults). */
  defaults: Record<string, unknown>;
}

/** The field types of libs/schema, in PocketBase's menu order. */
export const FIELD_TYPES: FieldType[] = [
  { type: 'text', label: 'Plain text', icon: 'Aa', defaults: { min: 0, max: 0, pattern: '', autogeneratePattern: '' } },
  { type: 'editor', label: 'Rich editor', icon: '¶', defaults: { maxSize: 0, convertURLs: false } },
  { type: 'number', label: 'Number', icon: '#', defaults: { min: null, max: null, onlyInt: false } },
  { type: 'bool', label: 'Bool', icon: '◧', defaults: {} },
  { type: 'email', label: 'Email', icon: '@', defaults: { exceptDomains: [], onlyDomains: [] } },
  { type: 'url', label: 'URL', icon: '⇗', defaults: { exceptDomains: [], onlyDomains: [] } },
  { type: 'date', label: 'DateTime', icon: '▦', defaults: { min: '', max: '' } },
  { type: 'autodate', label: 'Autodate', icon: '◷', defaults: { onCreate: true, onUpdate: false } },
  { type: 'select', label: 'Select', icon: '☰', defaults: { values: [], maxSelect: 1 } },
  {
    type: 'file',
    label: 'File',
    icon: '⎘',
    defaults: { maxSelect: 1, maxSize: 0, mimeTypes: [], thumbs: [], protected: false },
  },
  {
    type: 'relation',
    label: 'Relation',
    icon: '⇄',
    defaults: { collectionId: '', cascadeDelete: false, minSelect: 0, maxSelect: 1 },
  },
  { type: 'json', label: 'JSON', icon: '{}', defaults: { maxSize: 0 } },
  { type: 'geoPoint', label: 'Geo point', icon: '◎', defaults: {} },
  { type: 'password', label: 'Password', icon: '***', defaults: { min: 0, max: 0, pattern: '', cost: 0 } },
];

export function fieldType(type: string): FieldType | undefined {
  return FIELD_TYPES.find((t) => t.type === type);
}

/** A new field of `type` with a name not used by `taken`. */
export function newField(type: string, taken: string[]): FieldModel {
  const base = type === 'geoPoint' ? 'location' : type === 'relation' ? 'relation' : 'field';
  let name = base;
  for (let i = 1; taken.includes(name); i++) {
    name = `${base}${i}`;
  }
  const defaults = clone(fieldType(type)?.defaults ?? {});
  return { name, type, required: false, hidden: false, presentable: false, system: false, ...defaults };
}

/**
 * Where a new field goes: before the trailing autodate fields (`created`, `updated` stay last, as in
 * PocketBase's dashboard), else at the end. Returns its index.
 */
export function insertField<F extends { type: string }>(fields: F[], field: F): number {
  let at = fields.length;
  while (field.type !== 'autodate' && at > 0 && fields[at - 1].type === 'autodate') {
    at--;
  }
  fields.splice(at, 0, field);
  return at;
}

/** "a, b ,c" -> ["a", "b", "c"] (list options typed as comma-separated text). */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Number inputs: "" means "no limit" (null) for the options that allow it. */
export function numberOrNull(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') {
    return null;
  }
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** Whether a field with this type holds many values with the given options (select, relation, file). */
export function isMultiple(field: FieldModel): boolean {
  return ['select', 'relation', 'file'].includes(field.type) && Number(field.maxSelect ?? 1) > 1;
}

/** A deep copy of plain JSON data (also of Vue's reactive proxies, which structuredClone refuses). */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** New collections get `created` and `updated` autodate fields, as in PocketBase's dashboard. */
export function withAutodates<F extends { name: string }>(fields: F[]): F[] {
  const out = [...fields];
  for (const name of ['created', 'updated']) {
    if (!out.some((f) => f.name === name)) {
      out.push({
        name,
        type: 'autodate',
        onCreate: true,
        onUpdate: name === 'updated',
        hidden: false,
        presentable: false,
        system: false,
      } as unknown as F);
    }
  }
  return out;
}
