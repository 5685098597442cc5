/** PocketBase's `readerToString` reads at most this much by default (Go's router `DefaultMaxMemory`, 32 MiB). */
const DEFAULT_MAX = 32 << 20;

/**
 * `e.request.body` of a custom route (Go's `io.Reader` in PocketBase): the body's bytes as they came, read with
 * `toString(e.request.body)`, `toBytes(…)` or `readerToString(…, maxBytes)` — as often as needed (PocketBase's body
 * is re-readable too).
 */
export class BodyReader {
  constructor(readonly bytes: Buffer) {}
}

/** `readerToString(reader, maxBytes)`: the reader's first `maxBytes` bytes (32 MiB when 0) as text. */
export function readerToString(reader: unknown, maxBytes = 0): string {
  if (!(reader instanceof BodyReader)) {
    throw new TypeError('readerToString: not a reader (e.request.body)');
  }
  return reader.bytes.subarray(0, maxBytes > 0 ? maxBytes : DEFAULT_MAX).toString('utf8');
}
