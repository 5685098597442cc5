import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from '../errors/api-error';

/** An uploaded file part, held in memory until the files issue streams it to storage. */
export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
}

/** A request body after content-type specific parsing: plain values plus uploaded files by field. */
export interface ParsedBody {
  data: Record<string, unknown>;
  files: Record<string, UploadedFile[]>;
}

const FILES = Symbol('nestbase.files');
type WithFiles = FastifyRequest & { [FILES]?: Record<string, UploadedFile[]> };

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

function addValue(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in target) {
    const prev = target[key];
    target[key] = Array.isArray(prev) ? [...(prev as unknown[]), value] : [prev, value];
  } else {
    target[key] = value;
  }
}

function mergeJsonPayload(data: Record<string, unknown>): Record<string, unknown> {
  const payload = data['@jsonPayload'];
  if (payload === undefined) {
    return data;
  }
  delete data['@jsonPayload'];
  for (const raw of Array.isArray(payload) ? payload : [payload]) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(raw));
    } catch {
      throw new BadRequestError('Invalid @jsonPayload: malformed JSON.');
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      Object.assign(data, parsed);
    }
  }
  return data;
}

/**
 * Installs the body parsers PocketBase accepts: JSON (an empty body is `{}`), urlencoded forms and
 * multipart (`@jsonPayload` merged, values inferred). Any other content type is a 400.
 */
export async function installBodyParsers(fastify: FastifyInstance, bodyLimit: number): Promise<void> {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') {
      done(null, {});
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BadRequestError('Failed to read the JSON body: malformed JSON.'), undefined);
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
  await fastify.register(multipart, { limits: { fileSize: bodyLimit, fieldSize: bodyLimit, parts: 10000 } });
  fastify.addHook('preValidation', async (request: WithFiles) => {
    if (!request.isMultipart()) {
      return;
    }
    const data: Record<string, unknown> = {};
    const files: Record<string, UploadedFile[]> = {};
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const file = {
          field: part.fieldname,
          filename: part.filename,
          mimetype: part.mimetype,
          data: await part.toBuffer(),
        };
        (files[part.fieldname] ??= []).push(file);
      } else {
        addValue(data, part.fieldname, inferFormValue(String(part.value)));
      }
    }
    request.body = mergeJsonPayload(data);
    request[FILES] = files;
  });
  fastify.addContentTypeParser('*', (_req, _payload, done) => {
    done(new BadRequestError('Unsupported Content-Type.'), undefined);
  });
}

/** The parsed body of a request (JSON, form or multipart) with its uploaded files. */
export function readBody(request: FastifyRequest): ParsedBody {
  const body = request.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new BadRequestError('The request body must be a JSON object.');
  }
  return { data: (body as Record<string, unknown> | undefined) ?? {}, files: (request as WithFiles)[FILES] ?? {} };
}
