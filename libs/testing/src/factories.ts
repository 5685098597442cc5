// Factories that build test data at test time (no fixture DBs, no pasted tokens).
import { randomBytes } from 'node:crypto';

import { HttpClient } from './http-client';

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
  | 'relation'
  | 'file'
  | 'json'
  | 'geoPoint'
  | 'password';

export interface FieldDef {
  name: string;
  /** A field type; other strings are allowed so tests can send invalid ones. */
  type: string;
  [option: string]: unknown;
}

export type Rule = string | null;

export interface CollectionDef {
  /** Logical name; `t.createCollection` appends a unique suffix. */
  name?: string;
  /** base, auth or view; other strings are allowed so tests can send invalid ones. */
  type?: string;
  listRule?: Rule;
  viewRule?: Rule;
  createRule?: Rule;
  updateRule?: Rule;
  deleteRule?: Rule;
  fields?: FieldDef[];
  indexes?: string[];
  viewQuery?: string;
  [option: string]: unknown;
}

export interface FieldJson extends FieldDef {
  id: string;
  system: boolean;
  hidden: boolean;
}

export interface CollectionJson {
  id: string;
  name: string;
  type: string;
  system: boolean;
  listRule: Rule;
  viewRule: Rule;
  createRule: Rule;
  updateRule: Rule;
  deleteRule: Rule;
  fields: FieldJson[];
  indexes: string[];
  [key: string]: unknown;
}

export interface RecordJson {
  id: string;
  collectionId: string;
  collectionName: string;
  expand?: Record<string, RecordJson | RecordJson[]>;
  [field: string]: unknown;
}

export interface ListJson<T = RecordJson> {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: T[];
}

export const OPEN_RULES = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' } as const;
export const LOCKED_RULES = {
  listRule: null,
  viewRule: null,
  createRule: null,
  updateRule: null,
  deleteRule: null,
} as const;
/** Rules that let only the record's owner (relation field `owner` → users) act. */
export const OWNER_RULES = {
  listRule: 'owner = @request.auth.id',
  viewRule: 'owner = @request.auth.id',
  createRule: '@request.auth.id != "" && owner = @request.auth.id',
  updateRule: 'owner = @request.auth.id',
  deleteRule: 'owner = @request.auth.id',
} as const;

export const DEFAULT_PASSWORD = 'Test-Passw0rd-123';

/** 8 random [a-z0-9] characters. */
export function uniqueSuffix(length = 8): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

/** A valid 15-char record id ([a-z0-9]). */
export function recordId(): string {
  return uniqueSuffix(15);
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}_${uniqueSuffix()}@example.com`;
}

export function makeCollection(overrides: CollectionDef = {}): CollectionDef {
  return { name: 'col', type: 'base', ...OPEN_RULES, fields: [text('title')], ...overrides };
}

export function makeUserInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const password = typeof overrides.password === 'string' ? overrides.password : DEFAULT_PASSWORD;
  return { email: uniqueEmail(), password, passwordConfirm: password, ...overrides };
}

export async function tokenFor(
  client: HttpClient,
  collection: string,
  identity: string,
  password: string,
): Promise<string> {
  const res = await client.request('POST', `/api/collections/${collection}/auth-with-password`, {
    body: { identity, password },
  });
  const body = res.json<{ token?: unknown }>();
  if (res.status !== 200 || typeof body?.token !== 'string') {
    throw new Error(
      `auth-with-password on ${collection} for ${identity} gave ${res.status}: ${res.text.slice(0, 300)}`,
    );
  }
  return body.token;
}

type Options = Record<string, unknown>;

export const text = (name: string, o: Options = {}): FieldDef => ({ name, type: 'text', ...o });
export const num = (name: string, o: Options = {}): FieldDef => ({ name, type: 'number', ...o });
export const bool = (name: string, o: Options = {}): FieldDef => ({ name, type: 'bool', ...o });
export const email = (name: string, o: Options = {}): FieldDef => ({ name, type: 'email', ...o });
export const url = (name: string, o: Options = {}): FieldDef => ({ name, type: 'url', ...o });
export const editor = (name: string, o: Options = {}): FieldDef => ({ name, type: 'editor', ...o });
export const date = (name: string, o: Options = {}): FieldDef => ({ name, type: 'date', ...o });
export const json = (name: string, o: Options = {}): FieldDef => ({ name, type: 'json', ...o });
export const geoPoint = (name: string, o: Options = {}): FieldDef => ({ name, type: 'geoPoint', ...o });
export const file = (name: string, o: Options = {}): FieldDef => ({ name, type: 'file', ...o });
export const autodate = (name: string, o: Options = { onCreate: true, onUpdate: true }): FieldDef => ({
  name,
  type: 'autodate',
  ...o,
});
export const select = (name: string, values: string[], o: Options = {}): FieldDef => ({
  name,
  type: 'select',
  values,
  ...o,
});
export const relation = (name: string, collectionId: string, o: Options = {}): FieldDef => ({
  name,
  type: 'relation',
  collectionId,
  ...o,
});
