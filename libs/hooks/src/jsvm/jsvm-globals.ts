import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ApiError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  type FieldErrors,
} from '@lib/core';
import type { RouteEvent } from '../hook-types';
import { Collection, Field, FIELD_CLASSES, unmarshal } from '../migrations/migration-models';
import { requireAuth, requireGuestOnly, requireSuperuserAuth } from '../routes/route-middlewares';
import { collectionName, jsvmApp, TEMPLATE } from './jsvm-app';
import { currentData, queued, services, type JsvmHost } from './jsvm-context';
import { Cookie } from './jsvm-cookie';
import { $dbx } from './jsvm-dbx';
import { enrichApis } from './jsvm-enrich';
import { $filepath } from './jsvm-filepath';
import { BodyReader, readerToString } from './jsvm-reader';
import { Middleware, native } from './jsvm-hooks';
import { jsvmHttp } from './jsvm-http';
import { $os } from './jsvm-os';
import { $security } from './jsvm-security';
import { $template } from './jsvm-template';
import type { HookRecord } from '../hook-record';
import { text } from './text';

type Obj = Record<string, unknown>;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
};

/** `$apis.static(dir, indexFallback)`: the files of `dir` at the route's `{path...}`. */
function serveStatic(dir: string, indexFallback = false) {
  const root = path.resolve(dir);
  return (e: { request: { pathValue(n: string): string }; blob(s: number, t: string, b: Uint8Array): void }) => {
    const wanted = path.resolve(root, `.${path.sep}${decodeURIComponent(e.request.pathValue('path'))}`);
    const inside = wanted === root || wanted.startsWith(root + path.sep);
    let file =
      inside && fs.existsSync(wanted) && fs.statSync(wanted).isDirectory() ? path.join(wanted, 'index.html') : wanted;
    if (!inside || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (!indexFallback || !fs.existsSync(path.join(root, 'index.html'))) {
        throw new NotFoundError();
      }
      file = path.join(root, 'index.html');
    }
    e.blob(200, MIME[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  };
}

function requireSuperuserOrOwnerAuth(ownerIdParam = 'id') {
  return native(async (e: RouteEvent) => {
    if (!e.auth) {
      throw new UnauthorizedError('The request requires superuser or record authorization token.');
    }
    if (!e.auth.isSuperuser() && e.auth.id !== e.request.params[ownerIdParam]) {
      throw new ForbiddenError('The authorized record is not allowed to perform this action.');
    }
    await e.next();
  });
}

const passThrough = () => native(async (e: RouteEvent) => e.next());

/** PocketBase's `$apis`: route middlewares and `static`. */
export const $apis = {
  requireAuth: (...collections: string[]) => native(requireAuth(...collections)),
  requireSuperuserAuth: () => native(requireSuperuserAuth()),
  requireGuestOnly: () => native(requireGuestOnly()),
  requireSuperuserOrOwnerAuth,
  static: serveStatic,
  bodyLimit: (limit: number) =>
    native(async (e: RouteEvent) => {
      if (Number(e.request.headers['content-length'] ?? 0) > limit) {
        throw new PayloadTooLargeError();
      }
      await e.next();
    }),
  gzip: passThrough,
  skipSuccessActivityLog: passThrough,
};

/** PocketBase's `$mails`: the auth flows' mails for a record (where the process sends them). */
function mails(host: JsvmHost) {
  const send =
    (kind: string) =>
    (record: HookRecord, ...extra: unknown[]) => {
      const sender = services(host).sendRecordMail;
      if (!sender) {
        throw new Error('this process sends no auth mails');
      }
      return queued(() => sender(kind, record.collection().id, record.values(), extra));
    };
  return {
    sendRecordPasswordReset: send('passwordReset'),
    sendRecordVerification: send('verification'),
    sendRecordChangeEmail: send('emailChange'),
    sendRecordOTP: send('otp'),
    sendRecordAuthAlert: send('authAlert'),
  };
}

class DateTime {
  private readonly date: Date;
  constructor(value?: string | number | Date) {
    this.date = value === undefined || value === '' ? new Date() : new Date(value);
  }
  string = () => this.date.toISOString().replace('T', ' ');
  toString = this.string;
  unix = () => Math.floor(this.date.getTime() / 1000);
  time = () => this.date;
  isZero = () => this.date.getTime() === 0;
  add = (ms: number) => new DateTime(this.date.getTime() + ms);
}

/**
 * The globals of a PocketBase-style hooks file besides the hook functions: `$app`, `$apis`, `$os`, `$filepath`, `$security`,
 * `$http`, `$mails`, `$template`, `Record`, `Collection`, `DynamicModel`, the errors, the field classes and the
 * small helpers (`toString`, `sleep`, `arrayOf` …). `awaited`: the file's asynchronous calls are awaited (rewritten).
 */
export function jsvmGlobals(host: JsvmHost, file: string, hooksDir: string, awaited: boolean): Obj {
  function Record(collection: unknown, data: Obj = {}): HookRecord {
    const record = currentData(host).newRecord(collectionName(collection));
    record.load(data);
    return record;
  }
  function DynamicModel(this: Obj, shape: Obj = {}) {
    Object.assign(this, shape);
  }
  const errors = {
    ApiError: ApiError,
    BadRequestError: BadRequestError,
    NotFoundError: NotFoundError,
    ForbiddenError: ForbiddenError,
    UnauthorizedError: UnauthorizedError,
    TooManyRequestsError: class extends ApiError {
      constructor(message = 'Too Many Requests.', data: FieldErrors = {}) {
        super(429, message, data);
      }
    },
    InternalServerError: class extends ApiError {
      constructor(message = 'Something went wrong while processing your request.', data: FieldErrors = {}) {
        super(500, message, data);
      }
    },
    ValidationError: class extends ApiError {
      constructor(code: string, message: string) {
        super(400, message, {});
        this.name = code;
      }
    },
  };
  return {
    $app: jsvmApp(host, file),
    $apis: { ...$apis, ...enrichApis(host) },
    $os,
    $filepath,
    $dbx,
    $security,
    $http: jsvmHttp(awaited),
    $mails: mails(host),
    $template,
    __hooks: hooksDir,
    Record,
    Collection,
    DynamicModel,
    DateTime,
    Middleware,
    Cookie,
    MailerMessage: DynamicModel,
    Field,
    ...FIELD_CLASSES,
    FieldsList: Array,
    unmarshal,
    ...errors,
    toString: (value: unknown) =>
      value instanceof BodyReader
        ? value.bytes.toString('utf8')
        : Array.isArray(value) || value instanceof Uint8Array
          ? Buffer.from(value as number[]).toString('utf8')
          : text(value),
    toBytes: (value: unknown) => [...(value instanceof BodyReader ? value.bytes : Buffer.from(text(value), 'utf8'))],
    readerToString,
    sleep: (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms)),
    arrayOf: (model: unknown) => Object.assign([], { [TEMPLATE]: model }),
    nullString: () => null,
    nullInt: () => null,
    nullFloat: () => null,
    nullBool: () => null,
    nullArray: () => null,
    nullObject: () => null,
  };
}
