/**
 * Content types from the first bytes of a file (magic numbers), never from the client's claim.
 * Covers the common web types; anything binary and unknown is `application/octet-stream`.
 */
export const SNIFF_BYTES = 512;

const ascii = (b: Buffer, at: number, text: string) => b.subarray(at, at + text.length).toString('latin1') === text;
const bytes = (b: Buffer, at: number, list: number[]) => list.every((v, i) => b[at + i] === v);

const BINARY: [(b: Buffer) => boolean, string][] = [
  [(b) => bytes(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
  [(b) => bytes(b, 0, [0xff, 0xd8, 0xff]), 'image/jpeg'],
  [(b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'), 'image/gif'],
  [(b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP'), 'image/webp'],
  [(b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE'), 'audio/wav'],
  [(b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'AVI '), 'video/x-msvideo'],
  [(b) => ascii(b, 4, 'ftypavif') || ascii(b, 4, 'ftypavis'), 'image/avif'],
  [(b) => ascii(b, 4, 'ftypheic') || ascii(b, 4, 'ftypheix') || ascii(b, 4, 'ftypmif1'), 'image/heic'],
  [(b) => ascii(b, 4, 'ftypqt'), 'video/quicktime'],
  [(b) => ascii(b, 4, 'ftypM4A'), 'audio/x-m4a'],
  [(b) => ascii(b, 4, 'ftyp'), 'video/mp4'],
  [(b) => ascii(b, 0, 'BM') && b.length > 14, 'image/bmp'],
  [(b) => bytes(b, 0, [0x00, 0x00, 0x01, 0x00]), 'image/x-icon'],
  [(b) => bytes(b, 0, [0x49, 0x49, 0x2a, 0x00]) || bytes(b, 0, [0x4d, 0x4d, 0x00, 0x2a]), 'image/tiff'],
  [(b) => bytes(b, 0, [0x1a, 0x45, 0xdf, 0xa3]), 'video/webm'],
  [(b) => ascii(b, 0, 'OggS'), 'audio/ogg'],
  [(b) => ascii(b, 0, 'fLaC'), 'audio/flac'],
  [(b) => ascii(b, 0, 'ID3') || bytes(b, 0, [0xff, 0xfb]) || bytes(b, 0, [0xff, 0xf3]), 'audio/mpeg'],
  [(b) => ascii(b, 0, '%PDF-'), 'application/pdf'],
  [(b) => bytes(b, 0, [0x50, 0x4b, 0x03, 0x04]) || bytes(b, 0, [0x50, 0x4b, 0x05, 0x06]), 'application/zip'],
  [(b) => bytes(b, 0, [0x1f, 0x8b]), 'application/gzip'],
  [(b) => bytes(b, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), 'application/x-7z-compressed'],
  [(b) => ascii(b, 0, 'Rar!'), 'application/x-rar-compressed'],
  [(b) => ascii(b, 0, 'wOFF'), 'font/woff'],
  [(b) => ascii(b, 0, 'wOF2'), 'font/woff2'],
  [(b) => ascii(b, 0, 'SQLite format 3'), 'application/vnd.sqlite3'],
];

/** Tags that make a browser treat text as HTML (WHATWG MIME sniffing, "text/html" patterns). */
const HTML_TAGS = ['!doctype html', 'html', 'head', 'script', 'iframe', 'h1', 'div', 'font', 'table', 'a', 'style'];
const HTML_MORE = ['title', 'b', 'body', 'br', 'p', '!--'];

function isText(b: Buffer): boolean {
  for (const c of b) {
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) {
      return false;
    }
  }
  return true;
}

function sniffText(head: Buffer): string | null {
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<?xml')) {
    return text.includes('<svg') ? 'image/svg+xml' : 'text/xml; charset=utf-8';
  }
  if (text.startsWith('<svg')) {
    return 'image/svg+xml';
  }
  for (const tag of [...HTML_TAGS, ...HTML_MORE]) {
    const next = text.charAt(tag.length + 1);
    if (text.startsWith(`<${tag}`) && (next === '' || /[\s>]/.test(next) || tag === '!--')) {
      return 'text/html; charset=utf-8';
    }
  }
  if (/^[[{]/.test(text)) {
    try {
      JSON.parse(head.toString('utf8'));
      return 'application/json';
    } catch {
      // a truncated head or not JSON: plain text below
    }
  }
  return null;
}

/** The content type of a file from its first bytes (`SNIFF_BYTES` are enough). */
export function sniffMime(head: Buffer): string {
  if (head.length === 0) {
    return 'text/plain; charset=utf-8';
  }
  for (const [test, type] of BINARY) {
    if (test(head)) {
      return type;
    }
  }
  if (!isText(head)) {
    return 'application/octet-stream';
  }
  return sniffText(head) ?? 'text/plain; charset=utf-8';
}

/** `image/png; charset=x` → `image/png`. */
export function baseMime(type: string): string {
  return type.split(';')[0].trim().toLowerCase();
}
