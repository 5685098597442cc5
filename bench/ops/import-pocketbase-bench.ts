import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ROOT } from '../records/processes';
import { generatePocketBaseDir } from './pocketbase-shape';

/**
 * `nestbase import-pocketbase` on PocketBase's test data dir and on a generated PocketBase-shaped data dir of
 * `BENCH_IMPORT_MB` (1024) MB (`pocketbase-shape.ts`). Each import's wall time and peak RSS (GNU time) next to a
 * raw `cp -r` of the same dir measured in the same run. The generated data lives under the OS temp dir and is
 * removed at the end.
 * Run: npm run build:server && node -r ./scripts/paths.js dist/bench/ops/import-pocketbase-bench.js
 */
const totalMb = Number(process.env.BENCH_IMPORT_MB ?? 1024);
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'pocketbase-data');
const log = (line: string) => process.stdout.write(`${line}\n`);

function timed(label: string, cmd: string[]): { seconds: number; rssMb: number } {
  const res = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) {
    throw new Error(`${label} failed: ${res.stderr}`);
  }
  const [seconds, kb] = res.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds, rssMb: kb / 1024 };
}

/** The raw floors: a byte copy of the dir, and SQLite rewriting every row and index of data.db (`VACUUM INTO`). */
function measure(name: string, src: string, work: string): void {
  const cli = [process.execPath, path.join(ROOT, 'bin', 'nestbase.js'), 'import-pocketbase', src, '--dir'];
  const cp = timed('cp', ['cp', '-r', src, path.join(work, `${name}-copy`)]);
  const vacuum = `require('better-sqlite3')(process.argv[1], { readonly: true }).prepare('VACUUM INTO ?').run(process.argv[2])`;
  const rows = timed('vacuum', [
    process.execPath,
    '-e',
    vacuum,
    path.join(src, 'data.db'),
    path.join(work, `${name}-vacuum.db`),
  ]);
  const imported = timed('import', [...cli, path.join(work, `${name}-imported`)]);
  const mb = Number(spawnSync('du', ['-sm', src], { encoding: 'utf8' }).stdout.split('\t')[0]);
  const ratio = (base: number) => (imported.seconds / Math.max(base, 0.01)).toFixed(1);
  log(
    `${name} (${mb} MB): import ${imported.seconds.toFixed(2)} s, peak RSS ${imported.rssMb.toFixed(0)} MB | ` +
      `cp -r ${cp.seconds.toFixed(2)} s (import ${ratio(cp.seconds)}x) | ` +
      `VACUUM INTO ${rows.seconds.toFixed(2)} s, ${rows.rssMb.toFixed(0)} MB RSS (import ${ratio(rows.seconds)}x)`,
  );
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-import-bench-'));
try {
  measure('fixture', FIXTURE, work);
  const t0 = Date.now();
  const made = generatePocketBaseDir(path.join(work, 'generated'), FIXTURE, totalMb);
  log(
    `generated: ${made.users} users, ${made.posts} posts, ${made.comments} comments, ${made.files} files in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  measure('generated', path.join(work, 'generated'), work);
  const check = new BetterSqlite3(path.join(work, 'generated-imported', 'data.db'), { readonly: true });
  const counts = ['users', 'posts', 'comments'].map(
    (t) => (check.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n,
  );
  check.close();
  if (counts.join() !== [made.users, made.posts, made.comments].join()) {
    throw new Error(`imported counts ${counts.join()} differ from the generated ones`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
