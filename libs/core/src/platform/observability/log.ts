import pino, { type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { LogOutput } from './log-output';
import { currentRequestId } from './request-context';

/**
 * The process's structured log (pino): one line per entry on stdout, JSON (`NB_LOG_FORMAT=json`, the default
 * when stdout isn't a terminal) or a readable line (`pretty`). Every entry carries level, time, service, and the
 * request id of the request whose code wrote it (`reqId`). Two loggers share the output: `appLog` (Nest's and the
 * code's entries, filtered by `NB_LOG_LEVEL`) and `accessLog` (one line per request, `NB_ACCESS_LOG`).
 */

const PINO_LEVELS: Record<AppConfig['logLevel'], pino.LevelWithSilent> = {
  silent: 'silent',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
};

let output: LogOutput | undefined;
let processService = 'nestbase';

/** Names this process in every log line and its traces (`records`, `gateway`…; default `nestbase`). */
export function setProcessService(name: string): void {
  processService = name;
}

/** The name `setProcessService` gave. */
export function processServiceName(): string {
  return processService;
}
let app: Logger | undefined;
let access: Logger | undefined;
let startup: Logger | undefined;
/** `,"service":…` of the access lines `accessLine` writes (the access logger's `base`). */
let accessService = '';

function build(service: string, level: pino.LevelWithSilent, pretty: boolean): Logger {
  output ??= new LogOutput(pretty, () => processService);
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const reqId = currentRequestId();
        return reqId === '' ? {} : { reqId };
      },
    },
    output,
  );
}

/** Sets the process's loggers up from the configuration (the first call wins the format; levels follow each call). */
export function configureLogging(config: AppConfig): void {
  const { logFormat, accessLog: accessOn } = config.observability;
  const service = processService;
  app = build(service, PINO_LEVELS[config.logLevel], logFormat === 'pretty');
  access = build(service, accessOn ? 'info' : 'silent', logFormat === 'pretty');
  startup = build(service, config.logLevel === 'silent' ? 'silent' : 'info', logFormat === 'pretty');
  accessService = JSON.stringify(service);
  lineMs = -1;
}

/** The code's log (Nest's logger writes here); before `configureLogging`: JSON, warnings and up. */
export function appLog(): Logger {
  return (app ??= build(processService, 'warn', false));
}

/** The access log: one `info` line per request or delivery, whatever `NB_LOG_LEVEL` says (off: `NB_ACCESS_LOG=0`). */
export function accessLog(): Logger {
  return (access ??= build(processService, 'info', false));
}

/**
 * The start-up banners (`… started at`, the installer link, applied migrations, a hooks reload): `info` lines
 * shown whatever `NB_LOG_LEVEL` says but `silent`. Their `tree` field (lines under the message) prints as
 * PocketBase's `├─ REST API: …` tree in the pretty format.
 */
export function startupLog(): Logger {
  return (startup ??= build(processService, 'info', false));
}

/** The banner of a server that listens: `<name> started at <address>` with the API's and the dashboard's URLs. */
export function logStarted(name: string, address: string): void {
  startupLog().info(
    { address, tree: [`REST API:  ${address}/api/`, `Dashboard: ${address}/_/`] },
    `${name} started at ${address}`,
  );
}

/** The start of the access lines written in millisecond `lineMs` (time and service): made once per millisecond. */
let lineMs = -1;
let lineStart = '';

/** A field of an access line: a string, a finite number or left out (undefined). */
export type AccessField = string | number | undefined;

/**
 * The line `accessLog().info(fields, msg)` writes, byte for byte (level, time, service, the fields in order without
 * the undefined ones, msg), built directly: pino's generic path (mixin, merge, serializers) cost ~3 µs of the
 * ~100 of a request, and every request writes one. Before `configureLogging` or with the access log off: pino's way.
 */
export function writeAccessLine(fields: Readonly<Record<string, AccessField>>, msg: string): void {
  const log = accessLog();
  if (!log.isLevelEnabled('info')) {
    return;
  }
  if (!output || accessService === '') {
    log.info(fields, msg);
    return;
  }
  const ms = Date.now();
  if (ms !== lineMs) {
    lineMs = ms;
    lineStart = `{"level":"info","time":"${new Date(ms).toISOString()}","service":${accessService}`;
  }
  let line = lineStart;
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) {
      line += `,${JSON.stringify(key)}:${typeof value === 'string' ? JSON.stringify(value) : Number.isFinite(value) ? String(value) : 'null'}`;
    }
  }
  output.write(`${line},"msg":${JSON.stringify(msg)}}\n`);
}

/** Writes what is gathered now (shutdown, tests). */
export function flushLogs(): void {
  output?.flush();
}
