import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ByteRange } from '../file-storage';

/**
 * The ranges of a `Range: bytes=…` header, as Go's `http.ServeContent` reads them: ranges starting
 * past the end are dropped ('invalid' when none is left), a malformed header means the whole file (null).
 */
export function parseRanges(header: string, size: number): ByteRange[] | 'invalid' | null {
  const value = header.trim();
  if (!value.startsWith('bytes=')) {
    return null;
  }
  const ranges: ByteRange[] = [];
  let skipped = false;
  for (const spec of value
    .slice(6)
    .split(',')
    .map((part) => part.trim())) {
    if (spec === '') {
      continue;
    }
    const match = /^(\d*)-(\d*)$/.exec(spec);
    if (!match || (match[1] === '' && match[2] === '')) {
      return null;
    }
    if (match[1] === '') {
      const suffix = Math.min(Number(match[2]), size);
      if (suffix === 0) {
        skipped = true;
      } else {
        ranges.push({ start: size - suffix, end: size - 1 });
      }
      continue;
    }
    const start = Number(match[1]);
    const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) {
      return null;
    }
    if (start >= size) {
      skipped = true;
    } else {
      ranges.push({ start, end });
    }
  }
  if (ranges.length === 0) {
    return skipped ? 'invalid' : null;
  }
  return ranges;
}

/** The total bytes of the ranges (Go serves the whole file instead when they add up to more than it). */
export function rangesLength(ranges: ByteRange[]): number {
  return ranges.reduce((sum, r) => sum + r.end - r.start + 1, 0);
}

/** A `multipart/byteranges` body, laid out as Go's `mime/multipart` writer does, with its exact length. */
export function byteRangesBody(
  ranges: ByteRange[],
  size: number,
  contentType: string,
  read: (range: ByteRange) => Promise<Readable>,
): { contentType: string; length: number; body: Readable } {
  const boundary = randomBytes(30).toString('hex');
  const heads = ranges.map((r, i) =>
    Buffer.from(
      `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n` +
        `Content-Type: ${contentType}\r\n\r\n`,
    ),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = heads.reduce((sum, h) => sum + h.length, 0) + rangesLength(ranges) + tail.length;
  async function* parts(): AsyncGenerator<Buffer> {
    for (const [i, range] of ranges.entries()) {
      yield heads[i];
      for await (const chunk of await read(range)) {
        yield chunk as Buffer;
      }
    }
    yield tail;
  }
  return { contentType: `multipart/byteranges; boundary=${boundary}`, length, body: Readable.from(parts()) };
}
