// `nestbase typegen --dir DIR --out FILE`: types of the collections (every field type, an auth and a view
// collection) in the pocketbase SDK's typed-client shape; a small client compiles against them with tsc, and one
// deliberate type error in it must be the only error tsc reports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, repoRoot, runCli, startNestbase, tokenFor } from '@lib/testing';

import { createEveryFieldType, type FixtureNames } from './support/openapi-fixture';

const TIMEOUT = { timeout: 180_000 };
const EMAIL = 'cli-typegen@example.com';
const PASSWORD = 'cli-Typegen-Passw0rd';
const work = mkdtempSync(join(tmpdir(), 'nb-cli-typegen-'));
const dir = join(work, 'pb_data');
const DELIBERATE = 'DELIBERATE TYPE ERROR';

/** The client: uses records, expands, create payloads, auth and a view; one line is wrong on purpose. */
function clientSource(n: FixtureNames): string {
  return `import PocketBase from 'pocketbase';
import { Collections, type CollectionCreates, type CollectionUpdates, type TypedPocketBase } from './types';

const pb = new PocketBase('http://127.0.0.1:1') as TypedPocketBase;

export async function main(): Promise<string> {
  const post = await pb.collection('${n.base}').getOne('x', { expand: 'author,reviewers' });
  const title: string = post.title;
  const score: number = post.score;
  const published: boolean = post.published;
  const status: 'draft' | 'published' | '' = post.status;
  const labels: ('a' | 'b' | 'c')[] = post.labels;
  const place: { lon: number; lat: number } = post.place;
  const cover: string = post.cover;
  const attachments: string[] = post.attachments;
  const nickname: string | undefined = post.expand?.author?.nickname;
  const reviewers: string[] | undefined = post.expand?.reviewers?.map((r) => r.email ?? '');
  const input: CollectionCreates['${n.base}'] = { title: 'x', status: 'draft', cover: new Blob(['x']), labels: ['a'] };
  const patch: CollectionUpdates['${n.base}'] = { score: 3 };
  await pb.collection('${n.base}').create(input);
  await pb.collection('${n.base}').update(post.id, patch);
  const member = await pb.collection('${n.auth}').authWithPassword('a@example.com', 'secret');
  const karma: number = member.record.karma;
  const verified: boolean = member.record.verified;
  const row = await pb.collection('${n.view}').getFirstListItem('');
  const viewScore: number = row.score;
  const name: string = Collections[Object.keys(Collections)[0] as keyof typeof Collections];
  const wrong: number = post.title; // ${DELIBERATE}
  return [title, score, published, status, labels, place, cover, attachments, nickname, reviewers, karma, verified,
    viewScore, name, wrong].join();
}
`;
}

function tsconfig(): string {
  const pocketbase = join(repoRoot(), 'node_modules', 'pocketbase');
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node10',
      ignoreDeprecations: '6.0',
      esModuleInterop: true,
      skipLibCheck: true,
      lib: ['ES2023', 'DOM'],
      types: [],
      baseUrl: '.',
      paths: { pocketbase: [pocketbase] },
    },
    files: ['client.ts'],
  });
}

void describe('nestbase typegen', () => {
  let names: FixtureNames;

  before(async () => {
    const proc = await startNestbase(dir, [], { env: { PB_ADMIN_EMAIL: EMAIL, PB_ADMIN_PASSWORD: PASSWORD } });
    try {
      const http = new HttpClient(proc.baseUrl);
      names = await createEveryFieldType(http, await tokenFor(http, '_superusers', EMAIL, PASSWORD), 'tg');
    } finally {
      await proc.stop();
    }
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  void it('writes types a client compiles against, and tsc catches the deliberate error', TIMEOUT, async () => {
    const out = join(work, 'types.ts');
    const res = await runCli(['typegen', '--dir', dir, '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Wrote the types/);
    const types = readFileSync(out, 'utf8');
    assert.match(types, new RegExp(`collection\\(idOrName: '${names.base}'\\): RecordService<\\w+Record>;`));
    assert.match(types, /export type TypedPocketBase = PocketBase & \{/);
    writeFileSync(join(work, 'client.ts'), clientSource(names));
    writeFileSync(join(work, 'tsconfig.json'), tsconfig());
    const tsc = join(repoRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = spawnSync(process.execPath, [tsc, '-p', join(work, 'tsconfig.json')], { encoding: 'utf8' });
    const errors = compiled.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    const line =
      clientSource(names)
        .split('\n')
        .findIndex((l) => l.includes(DELIBERATE)) + 1;
    assert.equal(errors.length, 1, `exactly the deliberate error:\n${compiled.stdout}\n${types}`);
    assert.match(errors[0], new RegExp(`client\\.ts\\(${line},\\d+\\): error TS2322`));
  });

  void it('prints to stdout with --out -, and refuses a directory without a database', TIMEOUT, async () => {
    const printed = await runCli(['typegen', '--dir', dir, '--out', '-']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^\/\/ Generated by nestbase typegen/);
    const missing = await runCli(['typegen', '--dir', join(work, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^Error: no database at .*data\.db/);
    const misplaced = await runCli(['backup', 'list', '--out', 'x', '--dir', dir]);
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /--out is a flag of typegen/);
  });
});
