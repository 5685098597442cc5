// Reads the TAP that node's test runner prints (`--test-reporter=tap`): the pass/fail counts, the full
// name of every failing test (suites joined with " > ", parents that failed only through a child left
// out) with the first line of its error, and the tests that started but never reported (what hung).

export interface TapFailure {
  /** `suite > test` path of the failing test. */
  name: string;
  /** First line of the error (or the failure type). */
  reason: string;
}

export interface TapSummary {
  pass: number;
  fail: number;
  /** `# pass`/`# fail` were printed: the run reached its end. */
  complete: boolean;
  failures: TapFailure[];
  /** Tests whose `# Subtest:` line has no result line (still running when the output stopped). */
  unfinished: string[];
  /** Top-level tests with their `duration_ms`. */
  topLevel: { name: string; ms: number }[];
}

const RESULT = /^( *)(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/;
const SUBTEST = /^( *)# Subtest: (.*)$/;

/** The YAML block that follows a result line: its `failureType`, `error` and `duration_ms`. */
function detailsAt(lines: string[], from: number): { type: string; error: string; ms: number } {
  let type = '';
  let error = '';
  let ms = 0;
  for (let i = from; i < lines.length && i < from + 60; i++) {
    const line = lines[i].trim();
    if (line === '...') {
      break;
    }
    const field = /^(failureType|error|duration_ms): (.*)$/.exec(line);
    if (field?.[1] === 'failureType') {
      type = field[2].replace(/^'|'$/g, '');
    } else if (field?.[1] === 'error' && !error) {
      const value = field[2].replace(/^['"|>-]+\s*/, '').replace(/'$/, '');
      error = value || (lines[i + 1] ?? '').trim();
    } else if (field?.[1] === 'duration_ms') {
      ms = Number(field[2]);
    }
  }
  return { type, error, ms };
}

export function readTap(output: string): TapSummary {
  const lines = output.split('\n');
  const path: string[] = [];
  const open = new Map<string, boolean>();
  const failures: TapFailure[] = [];
  const topLevel: { name: string; ms: number }[] = [];
  lines.forEach((line, i) => {
    const sub = SUBTEST.exec(line);
    if (sub) {
      const depth = sub[1].length / 4;
      path.length = depth;
      path[depth] = sub[2];
      open.set(path.join(' > '), true);
      return;
    }
    const result = RESULT.exec(line);
    if (!result) {
      return;
    }
    const depth = result[1].length / 4;
    path.length = depth;
    path[depth] = result[3];
    const name = path.join(' > ');
    open.delete(name);
    const details = detailsAt(lines, i + 1);
    if (depth === 0) {
      topLevel.push({ name: result[3], ms: details.ms });
    }
    if (result[2] === 'not ok' && !result[4] && details.type !== 'subtestsFailed') {
      failures.push({ name, reason: details.error || details.type || 'failed' });
    }
  });
  const total = (label: string): number | undefined => {
    const match = new RegExp(`^# ${label} (\\d+)$`, 'm').exec(output);
    return match ? Number(match[1]) : undefined;
  };
  const pass = total('pass');
  const fail = total('fail');
  return {
    pass: pass ?? 0,
    fail: fail ?? failures.length,
    complete: pass !== undefined && fail !== undefined,
    failures,
    unfinished: [...open.keys()],
    topLevel,
  };
}
