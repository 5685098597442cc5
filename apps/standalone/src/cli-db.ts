import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { copyDatabase, DbCopyError } from '@lib/ops';
import { progressReporter } from './cli-progress';

const isUrl = (value: string) => /^postgres(ql)?:\/\//.test(value);

/** `nestbase db copy --from SRC --to DST [--replace]`. */
export async function db(
  args: string[],
  flags: { from?: string; to?: string; replace?: boolean },
  usage: (m: string) => Error,
): Promise<void> {
  if (args[0] !== 'copy' || args.length !== 1 || !flags.from || !flags.to) {
    throw usage('usage: nestbase db copy --from SRC --to DST [--replace]');
  }
  const from = isUrl(flags.from) ? flags.from : path.join(path.resolve(flags.from), 'data.db');
  const to = isUrl(flags.to) ? flags.to : path.join(path.resolve(flags.to), 'data.db');
  if (from === to) {
    throw usage('--from and --to are the same database');
  }
  if (!isUrl(from) && !existsSync(from)) {
    throw usage(`no database at ${from} (check --from)`);
  }
  if (!isUrl(to)) {
    mkdirSync(path.dirname(to), { recursive: true });
  }
  const started = Date.now();
  const progress = progressReporter();
  let report;
  try {
    report = await copyDatabase(from, to, { replace: flags.replace === true, progress: progress.report });
  } catch (error) {
    progress.done();
    if (error instanceof DbCopyError) {
      throw usage(error.message);
    }
    throw error;
  }
  progress.done();
  const rows = report.tables.filter((t) => !t.view).reduce((sum, t) => sum + t.rows, 0);
  const out = [`Copied in ${((Date.now() - started) / 1000).toFixed(1)} s:`];
  for (const t of report.tables) {
    out.push(`  ${t.name.padEnd(28)} ${String(t.rows).padStart(9)} row(s)  ${t.view ? '(view)' : t.checksum}`);
  }
  out.push(`Verified: ${report.tables.length} tables and views, ${rows} rows; counts and checksums match.`);
  if (report.notes.length > 0) {
    out.push('Notes:', ...report.notes.map((n) => `  - ${n}`));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
