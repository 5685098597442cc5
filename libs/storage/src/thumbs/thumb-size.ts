import type { FieldModel } from '@lib/schema';

export interface ThumbSize {
  width: number;
  height: number;
  /** '' = crop to fill from the centre, t = from the top, b = from the bottom, f = fit inside. */
  mode: '' | 't' | 'b' | 'f';
}

/** Originals PocketBase makes thumbs of. */
export const THUMBABLE_TYPES = ['image/png', 'image/jpg', 'image/jpeg', 'image/gif', 'image/webp'];

/** Always allowed, whatever the field lists. */
const DEFAULT_THUMB = '100x100';

export function parseThumbSize(spec: string): ThumbSize | null {
  const match = /^(\d{1,4})x(\d{1,4})([tbf]?)$/.exec(spec);
  if (!match) {
    return null;
  }
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width === 0 && height === 0) {
    return null;
  }
  return { width, height, mode: match[3] as ThumbSize['mode'] };
}

/** The thumb to serve for `?thumb=`, or null to serve the original (unknown size, not an image). */
export function allowedThumb(field: FieldModel, spec: string, contentType: string): ThumbSize | null {
  if (!spec || !THUMBABLE_TYPES.includes(contentType)) {
    return null;
  }
  if (spec !== DEFAULT_THUMB && !(field.thumbs ?? []).includes(spec)) {
    return null;
  }
  return parseThumbSize(spec);
}
