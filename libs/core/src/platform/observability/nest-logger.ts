import type { LoggerService, LogLevel } from '@nestjs/common';
import { appLog } from './log';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug';

/**
 * Nest's logger on the process's structured log: `Logger` calls anywhere (and Nest's own start-up lines) become
 * entries of `appLog()` with their context. `setLogLevels` narrows what passes further than `NB_LOG_LEVEL`.
 */
export class StructuredNestLogger implements LoggerService {
  private levels: ReadonlySet<LogLevel> | null = null;

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', 'info', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', 'warn', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', 'error', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', 'fatal', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', 'debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', 'debug', message, rest);
  }

  private write(nestLevel: LogLevel, level: PinoLevel, message: unknown, rest: unknown[]): void {
    const log = appLog();
    if ((this.levels && !this.levels.has(nestLevel)) || !log.isLevelEnabled(level)) {
      return;
    }
    // Nest's convention: the last string argument is the context; for errors a string before it is the stack.
    const params = [...rest];
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? params.pop() : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) {
      fields.err = { type: message.name, message: message.message, stack: message.stack };
      log[level](fields, message.message);
      return;
    }
    if (typeof params[0] === 'string' && params[0].includes('\n    at ')) {
      fields.stack = params[0];
    }
    log[level](fields, typeof message === 'string' ? message : JSON.stringify(message));
  }
}
