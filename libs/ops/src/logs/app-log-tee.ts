import { Logger, type LogLevel } from '@nestjs/common';
import { StructuredNestLogger } from '@lib/core';
import { LOG_LEVEL } from './log-entry';

type Sink = (level: number, message: string, data: Record<string, unknown>) => void;

const LEVELS: Record<string, LogLevel[]> = {
  silent: [],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * The process's Nest logger, writing the structured log as before (`NB_LOG_LEVEL`, `NB_LOG_FORMAT`) and copying into the request logs what
 * PocketBase keeps there: warnings and errors of the code, and every entry of the hooks (`app.logger`).
 */
export class AppLogTee extends StructuredNestLogger {
  private static installed: AppLogTee | null = null;
  private sink: Sink | null = null;

  /** Routes the process's logger through the tee (once) and points it at `sink` (null: detached). */
  static attach(sink: Sink | null, logLevel: string): void {
    if (!AppLogTee.installed) {
      AppLogTee.installed = new AppLogTee();
      Logger.overrideLogger(AppLogTee.installed);
    }
    AppLogTee.installed.setLogLevels(LEVELS[logLevel] ?? LEVELS.warn);
    AppLogTee.installed.sink = sink;
  }

  override log(message: unknown, ...rest: unknown[]): void {
    this.copy(LOG_LEVEL.info, message, rest);
    super.log(message, ...rest);
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    this.copy(LOG_LEVEL.warn, message, rest);
    super.warn(message, ...rest);
  }

  override error(message: unknown, ...rest: unknown[]): void {
    this.copy(LOG_LEVEL.error, message, rest);
    super.error(message, ...rest);
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    this.copy(LOG_LEVEL.error, message, rest);
    super.fatal(message, ...rest);
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    this.copy(LOG_LEVEL.debug, message, rest);
    super.debug(message, ...rest);
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    this.copy(LOG_LEVEL.debug, message, rest);
    super.verbose(message, ...rest);
  }

  private copy(level: number, message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? String(rest[rest.length - 1]) : '';
    if (!this.sink || (level < LOG_LEVEL.warn && context !== 'hooks')) {
      return;
    }
    const text =
      message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    this.sink(level, text, { type: 'app', context });
  }
}
