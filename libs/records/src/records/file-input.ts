import { baseMime, echo, fieldError, randomString, UploadedFile, type FieldError } from '@lib/core';
import type { CollectionModel, FieldModel } from '@lib/schema';
import { fileNames } from './record-files';
import type { RecordData } from './record-codec';

/** PocketBase's default file field maxSize (5 MiB). */
export const DEFAULT_FILE_MAX_SIZE = 5 * 1024 * 1024;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `My Photo (1).PNG` → `my_photo_1_<10 random [a-z0-9]>.PNG` (reference §2.1 stored upload names). */
export function storedFileName(original: string): string {
  const base = original.split(/[/\\]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const rawExt = dot > 0 ? base.slice(dot) : '';
  let ext = rawExt.replace(/[^\w.-]+/g, '').replace(/^\.+/, '.');
  ext = ext === '.' ? '' : ext.length > 20 ? `.${ext.slice(-20)}` : ext;
  let name = snakeCase(dot > 0 ? base.slice(0, dot) : base);
  if (name.length < 3) {
    name += randomString(10, ALPHABET);
  } else if (name.length > 100) {
    name = name.slice(0, 100);
  }
  return `${name}_${randomString(10, ALPHABET)}${ext}`;
}

const uploadNames = new WeakMap<UploadedFile, string>();

/**
 * The name an upload is stored under: made once per upload, so the input of a write worked out again (an update's
 * upload journal note is written before its transaction, the input inside it) names its files the same.
 */
export function uploadName(upload: UploadedFile): string {
  let name = uploadNames.get(upload);
  if (name === undefined) {
    name = storedFileName(upload.filename);
    uploadNames.set(upload, name);
  }
  return name;
}

function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_');
}

function checkUpload(field: FieldModel, file: UploadedFile): FieldError | null {
  const max = Number(field.maxSize ?? 0) || DEFAULT_FILE_MAX_SIZE;
  if (file.size > max) {
    return fieldError(
      'validation_file_size_limit',
      `Failed to upload "${file.filename}" - the maximum allowed file size is ${max} bytes.`,
      { file: file.filename, maxSize: max },
    );
  }
  const allowed = (field.mimeTypes ?? []).map((t) => t.toLowerCase());
  if (allowed.length > 0 && !allowed.includes(baseMime(file.mimetype))) {
    return fieldError(
      'validation_invalid_mime_type',
      `"${file.filename}" mime type must be one of: ${allowed.join(', ')}.`,
      { file: file.filename, mimeTypes: allowed.join(', ') },
    );
  }
  return null;
}

/**
 * Replaces the uploads of file fields (under `name`, `+name` or `name+`) with their new stored
 * names, so the body modifiers work on names only. Size and type are checked per upload.
 */
export function prepareUploads(
  collection: CollectionModel,
  body: Record<string, unknown>,
  errors: Record<string, unknown>,
): { body: Record<string, unknown>; uploads: Map<string, UploadedFile> } {
  const uploads = new Map<string, UploadedFile>();
  const out: Record<string, unknown> = { ...body };
  if (!hasUpload(body)) {
    // A JSON or form body without files (most writes): nothing to replace.
    return { body: out, uploads };
  }
  for (const field of collection.fields) {
    for (const key of [field.name, `+${field.name}`, `${field.name}+`]) {
      const values = Array.isArray(body[key]) ? (body[key] as unknown[]) : [body[key]];
      if (!values.some((v) => v instanceof UploadedFile)) {
        continue;
      }
      if (field.type !== 'file') {
        const rest = values.filter((v) => !(v instanceof UploadedFile));
        if (rest.length === 0) {
          delete out[key];
        } else {
          out[key] = rest.length === 1 ? rest[0] : rest;
        }
        continue;
      }
      out[key] = values.map((value) => {
        if (!(value instanceof UploadedFile)) {
          return value;
        }
        const problem = checkUpload(field, value);
        if (problem) {
          errors[field.name] ??= problem;
        }
        const name = uploadName(value);
        uploads.set(name, value);
        return name;
      });
    }
  }
  return { body: out, uploads };
}

/** Whether a body carries an upload (under any key). */
export function hasUpload(body: Record<string, unknown>): boolean {
  for (const key in body) {
    const value = body[key];
    if (value instanceof UploadedFile || (Array.isArray(value) && value.some((v) => v instanceof UploadedFile))) {
      return true;
    }
  }
  return false;
}

/** A file field may hold only names it already had or new uploads: no injected strings. */
export function checkFileNames(
  field: FieldModel,
  before: RecordData,
  after: RecordData,
  uploads: ReadonlyMap<string, UploadedFile>,
): FieldError | null {
  const known = new Set(fileNames(before[field.name]));
  const unknown = fileNames(after[field.name]).filter((name) => !known.has(name) && !uploads.has(name));
  return unknown.length === 0
    ? null
    : fieldError('validation_invalid_file', `Invalid file value: ${echo(unknown.join(', '), 100)}.`, {
        files: unknown.slice(0, 10).map((name) => echo(name, 100)),
      });
}

/**
 * The files an update of `stored` by `body` may store or remove, for its upload journal note written before the
 * transaction: the body's uploads (named as `applyInput` will name them) and every file of the file fields the
 * body touches (a superset of those it removes: the sweep removes only files the record doesn't reference).
 * Empty when the body touches no file field.
 */
export function updateFileNames(collection: CollectionModel, stored: RecordData | null, body: Record<string, unknown>) {
  const names: string[] = [];
  for (const field of collection.fields) {
    const keys = [field.name, `+${field.name}`, `${field.name}+`, `${field.name}-`].filter((key) => key in body);
    if (field.type !== 'file' || keys.length === 0) {
      continue;
    }
    for (const key of keys) {
      const values = Array.isArray(body[key]) ? (body[key] as unknown[]) : [body[key]];
      names.push(...values.filter((v): v is UploadedFile => v instanceof UploadedFile).map(uploadName));
    }
    names.push(...fileNames(stored?.[field.name]));
  }
  return names;
}
