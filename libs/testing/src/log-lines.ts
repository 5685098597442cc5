// A server's stdout read as log entries, whichever format it wrote (`NB_LOG_FORMAT`): JSON, one object a line
// (the default when stdout is a pipe, as in tests), or the pretty lines (`12:00:01.234 INFO  records msg k=v`,
// a banner's tree on `├─ …`/`└─ …` lines under it). Tests wait for the start-up banners through these instead of
// matching raw text, so a banner found in one format is found in the other.
import type { ManagedProcess } from './process';
import { STARTUP_CEILING_MS } from './ceilings';

export interface LogEntry {
  readonly level: string;
  readonly service: string;
  readonly msg: string;
  /** A banner's lines under its message (`REST API:  …`, `Dashboard: …`, the installer link). */
  readonly tree: readonly string[];
  /** The JSON object (JSON lines only; `{}` for a pretty line). */
  readonly fields: Readonly<Record<string, unknown>>;
}

const PRETTY = /^\d\d:\d\d:\d\d\.\d{3} (\w+)\s+(\S+) (.*)$/;
const TREE = /^[├└]─ (.*)$/;

/** The entries of `stdout`; other lines (a CLI's plain output) are entries with only a `msg`. */
export function logEntries(stdout: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const tree = TREE.exec(line);
    if (tree && entries.length > 0) {
      (entries[entries.length - 1].tree as string[]).push(tree[1]);
      continue;
    }
    if (line.startsWith('{')) {
      try {
        const fields = JSON.parse(line) as Record<string, unknown>;
        const lines = Array.isArray(fields.tree) ? fields.tree.map(String) : [];
        const str = (value: unknown) => (typeof value === 'string' ? value : '');
        entries.push({
          level: str(fields.level),
          service: str(fields.service),
          msg: str(fields.msg),
          tree: lines,
          fields,
        });
        continue;
      } catch {
        // not JSON after all: a plain line
      }
    }
    const pretty = PRETTY.exec(line);
    entries.push(
      pretty
        ? { level: pretty[1].toLowerCase(), service: pretty[2], msg: pretty[3], tree: [], fields: {} }
        : { level: '', service: '', msg: line, tree: [], fields: {} },
    );
  }
  return entries;
}

/** The banner text of `stdout`: each entry's message and tree lines, one a line (what a person reads). */
export function bannerText(stdout: string): string {
  return logEntries(stdout)
    .flatMap((entry) => [entry.msg, ...entry.tree])
    .join('\n');
}

/** Waits until a line of `bannerText(proc.stdout())` matches `re`; resolves with the match. */
export async function waitForBanner(
  proc: ManagedProcess,
  re: RegExp,
  timeoutMs = STARTUP_CEILING_MS,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = re.exec(bannerText(proc.stdout()));
    if (found) {
      return found;
    }
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`process exited before printing ${String(re)}:\n${proc.stdout()}\n${proc.stderr()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`no ${String(re)} within ${timeoutMs} ms:\n${proc.stdout()}\n${proc.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
