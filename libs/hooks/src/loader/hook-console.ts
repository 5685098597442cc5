import * as path from 'node:path';
import { format } from 'node:util';
import { AppLogSink } from '@lib/core';

/** PocketBase's (slog's) level of each console method. */
const LEVELS = { debug: -4, log: 0, info: 0, warn: 4, error: 8 } as const;

/**
 * The `console` of a hooks file: prints as Node's does, and copies `log`/`info`/`warn`/`error`/`debug` into the
 * request logs as app entries of the matching level (`data.type = "app"`, `data.context = "hooks"`).
 */
export function hookConsole(file: string): Console {
  const base = globalThis.console;
  const tee = Object.create(base) as Console;
  const name = path.basename(file);
  for (const [method, level] of Object.entries(LEVELS) as [keyof typeof LEVELS, number][]) {
    tee[method] = (...args: unknown[]) => {
      base[method](...args);
      AppLogSink.write(level, format(...args), { type: 'app', context: 'hooks', file: name });
    };
  }
  return tee;
}
