import type { Readable } from 'node:stream';
import { baseMime } from '@lib/core';
import type { ByteRange, StoredFile } from '../file-storage';
import { parseRanges, rangesLength } from './byte-ranges';

/** A file answer, transport-neutral: the controller writes it to the reply. */
export interface FileResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable | null;
}

/** The request headers that shape a file answer. */
export interface FileRequestHeaders {
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

/** Types a browser may show inline (PocketBase's list); everything else is an attachment. */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpg',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/x-icon',
  'image/bmp',
  'video/webm',
  'video/mp4',
  'video/3gpp',
  'video/quicktime',
  'video/x-ms-wmv',
  'audio/basic',
  'audio/aiff',
  'audio/mpeg',
  'audio/midi',
  'audio/mp3',
  'audio/wave',
  'audio/wav',
  'audio/x-wav',
  'audio/x-mpeg',
  'audio/x-m4a',
  'audio/aac',
  'application/pdf',
  'application/x-pdf',
]);

/** Types sniffing can't tell from plain text/zip: decided by the extension, as PocketBase does. */
const EXTENSION_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Untrusted content can't run scripts, even when opened directly. */
export const FILE_CSP = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

export function servedType(filename: string, sniffed: string): string {
  const dot = filename.lastIndexOf('.');
  return EXTENSION_TYPES[dot >= 0 ? filename.slice(dot).toLowerCase() : ''] ?? sniffed;
}

export function fileHeaders(
  filename: string,
  info: StoredFile,
  download: boolean,
  isProtected: boolean,
): Record<string, string> {
  const type = servedType(filename, info.contentType);
  const disposition = download || !INLINE_TYPES.has(baseMime(type)) ? 'attachment' : 'inline';
  return {
    'content-type': type,
    'content-disposition': `${disposition}; filename="${filename.replace(/["\\\r\n]/g, '_')}"`,
    'content-security-policy': FILE_CSP,
    'cache-control': `${isProtected ? 'private, ' : ''}max-age=2592000, stale-while-revalidate=86400`,
    'accept-ranges': 'bytes',
    etag: info.etag,
    'last-modified': info.modified.toUTCString(),
  };
}

function notModified(info: StoredFile, h: FileRequestHeaders): boolean {
  if (h.ifNoneMatch) {
    return h.ifNoneMatch.split(',').some((tag) => ['*', info.etag].includes(tag.trim().replace(/^W\//, '')));
  }
  if (h.ifModifiedSince) {
    const since = Date.parse(h.ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(info.modified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

/** `If-Range` (an ETag or a date) still matches, so the range may be served. */
function ifRangeHolds(info: StoredFile, ifRange: string | undefined): boolean {
  const value = ifRange?.trim();
  if (!value) {
    return true;
  }
  if (value.startsWith('"') || value.startsWith('W/')) {
    return value === info.etag;
  }
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(info.modified.getTime() / 1000) <= Math.floor(date / 1000);
}

/** How to answer: 304, 416, 206 with one range or several (multipart/byteranges), or 200. */
export function planResponse(
  info: StoredFile,
  h: FileRequestHeaders,
): { status: 200 | 206 | 304 | 416; range?: ByteRange; ranges?: ByteRange[] } {
  if (notModified(info, h)) {
    return { status: 304 };
  }
  if (!h.range || !ifRangeHolds(info, h.ifRange)) {
    return { status: 200 };
  }
  const ranges = parseRanges(h.range, info.size);
  if (ranges === 'invalid') {
    return { status: 416 };
  }
  if (!ranges || rangesLength(ranges) > info.size) {
    return { status: 200 };
  }
  return ranges.length === 1 ? { status: 206, range: ranges[0] } : { status: 206, ranges };
}
