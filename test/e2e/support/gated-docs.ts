// A server whose files live on S3 (s3rver) behind a gate (S3Gate: holds or cuts chosen S3 requests), with a `docs`
// collection (open rules, a unique `title`, one file field `doc`): what the upload journal's S3 tests start from.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  file,
  HttpClient,
  makeCollection,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  text,
  tokenFor,
} from '@lib/testing';
import { startS3Gate, type S3Gate } from './s3-gate';
import { startS3, type TestS3 } from './s3-server';

/** How long a create without files may take while another write's notes are held (a ceiling, not a wait). */
export const QUICK_CEILING_MS = 15_000;

/** An S3 request that writes an upload journal note. */
export const isNotePut = (method: string, path: string) => method === 'PUT' && path.includes('/.upload-journal/');

export interface GatedDocs {
  s3: TestS3;
  gate: S3Gate;
  server: ManagedProcess;
  http: HttpClient;
  /** The superuser's token. */
  su: string;
  /** The `docs` collection's id. */
  cid: string;
  /** The journal notes stored on S3. */
  notes(): string[];
  stop(): Promise<void>;
}

/** `name` names the superuser and the data dir; `settings` are saved with the S3 ones. */
export async function startGatedDocs(name: string, settings: Record<string, unknown> = {}): Promise<GatedDocs> {
  const dir = mkdtempSync(join(tmpdir(), `nb-${name}-`));
  const email = `${name}-su@example.com`;
  const password = `${name}-Superuser-Passw0rd`;
  const s3 = await startS3();
  const gate = await startS3Gate(s3.endpoint);
  const server = await startNestbase(join(dir, 'pb_data'), [], {
    env: { PB_ADMIN_EMAIL: email, PB_ADMIN_PASSWORD: password, NB_BCRYPT_COST: '4' },
  });
  const http = new HttpClient(server.baseUrl);
  const su = await tokenFor(http, '_superusers', email, password);
  const saved = await http.request('PATCH', '/api/settings', {
    token: su,
    body: { s3: { ...s3.settings, endpoint: gate.endpoint }, ...settings },
  });
  assert.equal(saved.status, 200, saved.text);
  const docs = makeCollection({
    name: 'docs',
    ...OPEN_RULES,
    fields: [text('title'), file('doc', { maxSelect: 1 })],
    indexes: ['CREATE UNIQUE INDEX idx_docs_title ON docs (title)'],
  });
  const made = await http.request('POST', '/api/collections', { token: su, body: docs });
  assert.equal(made.status, 200, made.text);
  return {
    s3,
    gate,
    server,
    http,
    su,
    cid: made.json<{ id: string }>().id,
    notes: () => s3.keys('.upload-journal/').filter((k) => !k.endsWith('/.keep')),
    stop: async () => {
      await server.stop();
      await gate.stop();
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `request`'s answer, or null when it took longer than QUICK_CEILING_MS (a write waiting for held notes). */
export async function withinCeiling<T>(request: Promise<T>): Promise<T | null> {
  let ceiling: NodeJS.Timeout | undefined;
  return Promise.race([
    request,
    new Promise<null>((resolve) => (ceiling = setTimeout(() => resolve(null), QUICK_CEILING_MS))),
  ]).finally(() => clearTimeout(ceiling));
}
