/**
 * The collection model as PocketBase's JSON describes it (reference §4). Plain data: services pass
 * these around; the stored copy lives in the `_collections` system table as JSON.
 */
export type CollectionType = 'base' | 'auth' | 'view';

export type FieldType =
  | 'text'
  | 'number'
  | 'bool'
  | 'email'
  | 'url'
  | 'editor'
  | 'date'
  | 'autodate'
  | 'select'
  | 'json'
  | 'relation'
  | 'file'
  | 'password'
  | 'geoPoint';

export interface FieldModel {
  id: string;
  name: string;
  type: FieldType;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
  required?: boolean;
  help?: string;
  // text / password / number / date
  min?: number | string | null;
  max?: number | string | null;
  pattern?: string;
  autogeneratePattern?: string;
  primaryKey?: boolean;
  // number
  onlyInt?: boolean;
  // email / url
  exceptDomains?: string[] | null;
  onlyDomains?: string[] | null;
  // editor / json / file
  maxSize?: number;
  convertURLs?: boolean;
  // autodate
  onCreate?: boolean;
  onUpdate?: boolean;
  // select / relation / file
  values?: string[];
  maxSelect?: number;
  minSelect?: number;
  // relation
  collectionId?: string;
  cascadeDelete?: boolean;
  // file
  mimeTypes?: string[] | null;
  thumbs?: string[] | null;
  protected?: boolean;
  // password
  cost?: number;
  [option: string]: unknown;
}

export interface CollectionModel {
  id: string;
  name: string;
  type: CollectionType;
  system: boolean;
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  fields: FieldModel[];
  indexes: string[];
  created: string;
  updated: string;
  /** view collections only */
  viewQuery?: string;
  /** auth collections only: the remaining options (authRule, manageRule, passwordAuth, tokens …) */
  authRule?: string | null;
  manageRule?: string | null;
  [option: string]: unknown;
}

/** True when a select/relation/file field holds several values (stored as a JSON array). */
export function isMultiple(field: FieldModel): boolean {
  return (field.type === 'select' || field.type === 'relation' || field.type === 'file') && (field.maxSelect ?? 0) > 1;
}
