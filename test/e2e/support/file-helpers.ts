// Shared pieces of the file scenarios: the storage mode they run in, multipart bodies, a
// collection with every kind of file field, and raw (binary) downloads.
import assert from 'node:assert/strict';

import { file, OPEN_RULES, RecordJson, ScenarioContext, text, WAIT_CEILING_MS } from '@lib/testing';

import { makeImage } from './images';

/** Where the server under test stores files: its own directory, or S3 (set up per scenario). */
export interface FileMode {
  name: 'local' | 's3';
  /** Runs before every scenario (the S3 mode points the server's settings at the test bucket). */
  setup(t: ScenarioContext): Promise<void>;
  /** The stored keys under a prefix, when the test can see the storage (S3 mode). */
  keys?(prefix: string): string[];
}

export type Part = [key: string, content: Buffer | string, filename?: string, type?: string];

/** A multipart body: a filename makes a part a file upload. */
export function form(parts: Part[]): FormData {
  const data = new FormData();
  for (const [key, content, filename, type] of parts) {
    if (filename === undefined) {
      data.append(key, String(content));
    } else {
      data.append(key, new Blob([content], { type: type ?? 'application/octet-stream' }), filename);
    }
  }
  return data;
}

export const THUMBS = ['60x40', '60x40t', '60x40b', '50x50f', '0x50', '30x0'];

/** `docs`: one (single, 100 kB, thumbs), many (maxSelect 3), png_only, secret (protected). */
export async function docsCollection(
  t: ScenarioContext,
  rules: Record<string, string | null> = OPEN_RULES,
): Promise<void> {
  await t.createCollection({
    name: 'docs',
    ...rules,
    fields: [
      text('title'),
      file('one', { maxSize: 100_000, thumbs: THUMBS }),
      file('many', { maxSelect: 3, maxSize: 100_000 }),
      file('png_only', { mimeTypes: ['image/png'] }),
      file('secret', { protected: true }),
    ],
  });
}

/** Creates a docs collection and a record with a 300x200 PNG in `one`; `t.vars.rec`/`t.vars.one`. */
export async function docWithImage(t: ScenarioContext, mode: FileMode): Promise<Buffer> {
  await mode.setup(t);
  await docsCollection(t);
  const png = await makeImage(300, 200);
  const res = await t.request('POST', t.records('docs'), {
    body: form([['one', png, 'photo.png', 'image/png']]),
    token: t.su.token,
  });
  assert.equal(res.status, 200, res.text);
  const record = res.json<RecordJson>();
  t.vars.rec = String(record.id);
  t.vars.one = String(record.one);
  t.data = png;
  return png;
}

export function fileUrl(t: ScenarioContext, name: string, query = ''): string {
  return `/api/files/${t.col('docs')}/${t.vars.rec}/${encodeURIComponent(name)}${query}`;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** GET a URL and keep the body as bytes. */
export async function fetchRaw(
  t: ScenarioContext,
  url: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const res = await fetch(t.http.baseUrl + url, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.ok(res.status < 500, `${url}: ${res.status} ${bytes.toString().slice(0, 300)}`);
  return { status: res.status, headers: res.headers, bytes };
}

/** Waits until `check` passes (file removal runs as a job after commit). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = WAIT_CEILING_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for: ${what}`);
}
