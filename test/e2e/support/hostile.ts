// Shared pieces of the bad-input corpus (bad-input-*.e2e-spec.ts): every hostile row expects a 4xx in
// PocketBase's envelope (or a documented 200), and afterwards the server still answers and nothing changed
// that shouldn't have. HTTP only, so the rows run against a standalone server and through the gateway alike.
import assert from 'node:assert/strict';

import { any, ApiResponse, Expected, Scenario, ScenarioContext } from '@lib/testing';

/** PocketBase's error envelope with `status`, plus any more specific members (`data` defaults to an object). */
export function envelope(status: number, more: { [key: string]: Expected } = {}): Expected {
  return { status, message: any(String), data: any(Object), ...more };
}

/** `/api/health` still answers 200. */
export async function alive(t: ScenarioContext): Promise<void> {
  const res = await t.request('GET', '/api/health');
  assert.equal(res.status, 200, `the server stopped answering: ${res.status} ${res.text.slice(0, 200)}`);
}

/**
 * A hostile row: a 4xx answer must carry the envelope with its own status (unless the row says more), and
 * afterwards the server is alive and the row's own `after` (what must not have changed) holds.
 */
export function hostile(row: Scenario): Scenario {
  const isError = row.expectStatus >= 400;
  return {
    ...row,
    expectBody: row.expectBody ?? (isError ? envelope(row.expectStatus) : undefined),
    after: async (t: ScenarioContext, res: ApiResponse) => {
      if (isError) {
        const body = res.body as { status?: unknown; message?: unknown; data?: unknown } | undefined;
        assert.equal(body?.status, row.expectStatus, `not the error envelope: ${res.text.slice(0, 300)}`);
        assert.equal(typeof body?.message, 'string', `not the error envelope: ${res.text.slice(0, 300)}`);
        assert.equal(typeof body?.data, 'object', `not the error envelope: ${res.text.slice(0, 300)}`);
      }
      if (row.after) {
        await row.after(t, res);
      }
      await alive(t);
    },
  };
}

/** Every row of `rows` made hostile. */
export const hostileRows = (rows: Scenario[]): Scenario[] => rows.map(hostile);

/** A multipart body written by hand (for names and headers `FormData` would clean up). */
export function rawMultipart(boundary: string, parts: { headers: string; body: string }[]): Uint8Array {
  const text = parts.map((p) => `--${boundary}\r\n${p.headers}\r\n\r\n${p.body}\r\n`).join('') + `--${boundary}--\r\n`;
  return new TextEncoder().encode(text);
}

/** Bytes of `text` with raw (non-UTF-8) bytes spliced in where `{bytes}` stands. */
export function withBytes(text: string, bytes: number[]): Uint8Array {
  const [head, tail] = text.split('{bytes}');
  const enc = new TextEncoder();
  return new Uint8Array([...enc.encode(head), ...bytes, ...enc.encode(tail ?? '')]);
}

/** Unicode edge cases: NUL, a lone surrogate, right-to-left override, combining marks, zero-width joiners. */
export const UNICODE = {
  nul: 'a\u0000b',
  loneSurrogate: 'a\ud800b',
  rtl: '\u202egnp.exe',
  combining: 'e\u0301\u0301\u0301\u0301',
  zeroWidth: 'a\u200d\u200b\ufeffb',
} as const;

/** The same in a URL: percent-encoded bytes, including invalid UTF-8 (overlong `.`, an encoded surrogate). */
export const URL_UNICODE = {
  nul: 'a%00b',
  overlongDot: '%C0%AE%C0%AE',
  overlongSlash: '%C0%AF',
  surrogate: '%ED%A0%80',
  rtl: '%E2%80%AEgnp',
  combining: 'e%CC%81%CC%81',
  invalidByte: '%FF%FE',
} as const;
