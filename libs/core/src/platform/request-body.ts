import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { ApiError, BadRequestError, PayloadTooLargeError } from '../errors/api-error';
import { jsonTextTooDeep, MAX_JSON_DEPTH } from '../json-depth';
import { drainBody } from './drain-body';
import { withoutRequestHooks } from './without-request-hooks';
import { SNIFF_BYTES, sniffMime } from '../mime';
import { wellFormedJson } from '../well-formed';

/**
 * An uploaded file part, streamed to a temporary file while the request was read (never held in
 * memory). `mimetype` is sniffed from the bytes; `clientType` is what the client claimed. The
 * temporary file is removed when the response has been sent.
 */
export class UploadedFile {
  constructor(
    readonly field: string,
    readonly filename: string,
    readonly size: number,
    readonly mimetype: string,
    readonly clientType: string,
    readonly path: string,
  ) {}
}

/** A request body after content-type specific parsing: plain values plus uploaded files by field. */
export interface ParsedBody {
  data: Record<string, unknown>;
  files: Record<string, UploadedFile[]>;
}

export interface BodyParserOptions {
  /** The limit of JSON/form bodies, and the base limit of multipart ones. */
  bodyLimit: number;
  /** Where uploads are streamed to (on the data volume, so storage can move them). */
  tmpDir: string;
  /** The whole-request limit of one multipart request (bodyLimit plus what its file fields allow). */
  limitFor: (request: FastifyRequest) => number;
}

const FILES = Symbol('nestbase.files');
const TEMP = Symbol('nestbase.tempFiles');
type WithFiles = FastifyRequest & { [FILES]?: Record<string, UploadedFile[]>; [TEMP]?: string[] };

/** Form strings: "true"/"false" become booleans, numbers that print back identically become numbers. */
function inferFormValue(value: string): unknown {
  if (value === 'true') {
    return true;
  }
  if (value === 'false') {
    return false;
  }
  if (value !== '' && String(Number(value)) === value) {
    return Number(value);
  }
  return value;
}

/** Sets `key` as an own data property, whatever its name (`__proto__` included: plain data, never the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function addValue(target: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.hasOwn(target, key)) {
    const prev = target[key];
    setOwn(target, key, Array.isArray(prev) ? [...(prev as unknown[]), value] : [prev, value]);
  } else {
    setOwn(target, key, value);
  }
}

/** A JSON number that may overflow to ±Infinity (an exponent of 3+ digits, or 309+ digits). */
const HUGE_NUMBER = /\d[eE][+]?\d{3}|\d{309}/;

/**
 * JSON.parse, refusing numbers beyond what a double holds (`1e400` would become Infinity, then `null` when
 * stored as JSON): a 400 for out-of-range numbers anywhere in a body, not a silently changed value.
 */
function parseJson(text: string, what: string): unknown {
  if (jsonTextTooDeep(text)) {
    throw new BadRequestError(`${what}: nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  let parsed: unknown;
  try {
    parsed = HUGE_NUMBER.test(text)
      ? JSON.parse(text, (_key, value: unknown) => {
          if (typeof value === 'number' && !Number.isFinite(value)) {
            throw new RangeError('number out of range');
          }
          return value;
        })
      : JSON.parse(text);
  } catch (error) {
    const reason = error instanceof RangeError ? 'a number is out of range' : 'malformed JSON';
    throw new BadRequestError(`${what}: ${reason}.`);
  }
  return wellFormedJson(parsed, text);
}

function mergeJsonPayload(data: Record<string, unknown>): Record<string, unknown> {
  const payload = data['@jsonPayload'];
  if (payload === undefined) {
    return data;
  }
  delete data['@jsonPayload'];
  for (const raw of Array.isArray(payload) ? payload : [payload]) {
    const parsed = parseJson(String(raw), 'Invalid @jsonPayload');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      // Own properties, `__proto__` included, as plain data (Object.assign would set the prototype of `data`).
      for (const [key, value] of Object.entries(parsed)) {
        setOwn(data, key, value);
      }
    }
  }
  return data;
}

/**
 * Installs the body parsers PocketBase accepts: JSON (an empty body is `{}`), urlencoded forms and
 * multipart (`@jsonPayload` merged, values inferred, files streamed to temporary files). Any other
 * content type is a 400. A multipart request over its limit is a 413.
 */
export async function installBodyParsers(fastify: FastifyInstance, options: BodyParserOptions): Promise<void> {
  const { bodyLimit } = options;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') {
      done(null, {});
      return;
    }
    try {
      done(null, parseJson(text, 'Failed to read the JSON body'));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => {
      const data: Record<string, unknown> = {};
      for (const [key, value] of new URLSearchParams(body as string)) {
        addValue(data, key, inferFormValue(value));
      }
      try {
        done(null, mergeJsonPayload(data));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  const multipart = (await import('@fastify/multipart')).default;
  await withoutRequestHooks(fastify, () =>
    fastify.register(multipart, {
      limits: { fileSize: Number.MAX_SAFE_INTEGER, fieldSize: options.bodyLimit, parts: 10000 },
    }),
  );
  // Callback-style hooks: they run on every request, and an async hook costs a promise and its ticks.
  fastify.addHook('preValidation', (request: WithFiles, reply: FastifyReply, done: (error?: Error) => void) => {
    if (!request.isMultipart()) {
      done();
      return;
    }
    readMultipartOrClean(request, reply, options).then(() => done(), done);
  });
  fastify.addHook('onResponse', (request: WithFiles, _reply: FastifyReply, done: () => void) => {
    if (request[TEMP] === undefined) {
      done();
      return;
    }
    void removeAll(request[TEMP]).then(
      () => done(),
      () => done(),
    );
  });
  fastify.addHook('onRequestAbort', async (request: WithFiles) => {
    await removeAll(request[TEMP]);
  });
  fastify.addContentTypeParser('*', (_req, _payload, done) => {
    done(new BadRequestError('Unsupported Content-Type.'), undefined);
  });
}

/**
 * A failure of the multipart reader as the client should see it: what the parser refused (no boundary, a body
 * that ends mid-part, a malformed header, the client going away) is a 400; our own API errors (413) pass, and a
 * system error (a full disk writing an upload) stays a server error.
 */
function malformedMultipart(error: unknown): unknown {
  if (error instanceof ApiError || !(error instanceof Error) || 'syscall' in error || isProgrammingError(error)) {
    return error;
  }
  return new BadRequestError(`Failed to read the multipart body: ${error.message.replace(/\.$/, '')}.`);
}

/** A fault of our own code (it must stay a 500 with a generic message, never a 400 quoting the fault). */
function isProgrammingError(error: Error): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError;
}

/** Reads a multipart body; on failure removes the files written so far and rethrows. */
async function readMultipartOrClean(
  request: WithFiles,
  reply: FastifyReply,
  options: BodyParserOptions,
): Promise<void> {
  const temp: string[] = (request[TEMP] = []);
  try {
    await readMultipart(request, options, temp);
  } catch (error) {
    await removeAll(temp);
    // Too large: the rest isn't read (the connection closes after the answer). Any other failure (a full disk, a
    // malformed part): the rest is read and dropped, so the answer reaches a client still sending.
    if (error instanceof PayloadTooLargeError || !(await drainBody(request.raw, options.limitFor(request)))) {
      reply.header('connection', 'close');
    }
    throw malformedMultipart(error);
  }
}

/** The parsed body of a request (JSON, form or multipart) with its uploaded files. */
export function readBody(request: FastifyRequest): ParsedBody {
  const body = request.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new BadRequestError('The request body must be a JSON object.');
  }
  return { data: (body as Record<string, unknown> | undefined) ?? {}, files: (request as WithFiles)[FILES] ?? {} };
}

/** Counts the bytes of a request against its limit and keeps the first bytes of a file for sniffing. */
class Meter extends Transform {
  head = Buffer.alloc(0);
  size = 0;

  constructor(private readonly budget: { left: number }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.budget.left -= chunk.length;
    if (this.budget.left < 0) {
      done(new PayloadTooLargeError());
      return;
    }
    if (this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    }
    done(null, chunk);
  }
}

async function saveFile(part: MultipartFile, dir: string, budget: { left: number }, temp: string[]) {
  const file = path.join(dir, `upload-${randomBytes(12).toString('hex')}`);
  temp.push(file);
  const meter = new Meter(budget);
  await pipeline(part.file, meter, createWriteStream(file, { flags: 'wx' }));
  return new UploadedFile(part.fieldname, part.filename, meter.size, sniffMime(meter.head), part.mimetype, file);
}

async function readMultipart(request: WithFiles, options: BodyParserOptions, temp: string[]): Promise<void> {
  const budget = { left: options.limitFor(request) };
  const data: Record<string, unknown> = {};
  const files: Record<string, UploadedFile[]> = {};
  let dirReady = false;
  for await (const part of request.parts()) {
    if (typeof part.fieldname !== 'string' || part.fieldname === '') {
      // A part without a name, as Go's multipart reader (PocketBase's) does: skipped, its content drained.
      if (part.type === 'file') {
        part.file.resume();
      }
      continue;
    }
    if (part.type === 'file') {
      if (!dirReady) {
        await mkdir(options.tmpDir, { recursive: true });
        dirReady = true;
      }
      (files[part.fieldname] ??= []).push(await saveFile(part, options.tmpDir, budget, temp));
    } else {
      const value = String(part.value);
      budget.left -= Buffer.byteLength(value) + part.fieldname.length;
      if (budget.left < 0) {
        throw new PayloadTooLargeError();
      }
      addValue(data, part.fieldname, inferFormValue(value));
    }
  }
  request.body = mergeJsonPayload(data);
  request[FILES] = files;
}

async function removeAll(files: string[] | undefined): Promise<void> {
  await Promise.all((files ?? []).map((file) => rm(file, { force: true })));
}
