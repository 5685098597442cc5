import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Client } from 'minio';
import {
  FileStorage,
  type ByteRange,
  type FileRead,
  type ListedFile,
  type PutOptions,
  type StoredFile,
  type WholeFile,
} from '../file-storage';
import { started } from '../stream-start';
import { guarded, retryReset } from './s3-unavailable';

/** The S3 settings PocketBase keeps (`settings.s3`, or `S3_*` in the environment). */
export interface S3Options {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secret: string;
  forcePathStyle: boolean;
}

/** Multipart part size: bounds the memory one streamed upload holds (a part is buffered). */
const PART_SIZE = 8 * 1024 * 1024;

/**
 * `stream` cut into buffers of `size` bytes (the last one shorter; one empty buffer for an empty stream: an
 * upload has at least one part), holding at most about one part.
 */
async function* parts(stream: Readable, size: number): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let length = 0;
  let yielded = false;
  for await (const piece of stream as AsyncIterable<Buffer | string>) {
    let rest = typeof piece === 'string' ? Buffer.from(piece) : piece;
    while (length + rest.length >= size) {
      const take = size - length;
      yield Buffer.concat([...held, rest.subarray(0, take)]);
      yielded = true;
      rest = rest.subarray(take);
      held = [];
      length = 0;
    }
    if (rest.length > 0) {
      held.push(rest);
      length += rest.length;
    }
  }
  if (length > 0 || !yielded) {
    yield Buffer.concat(held);
  }
}

function notFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'NotFound' || code === 'NoSuchKey' || code === 'NoSuchBucket';
}

/** Files in an S3-compatible bucket (MinIO in production) through the `minio` client, loaded lazily. */
export class S3FileStorage extends FileStorage {
  private client: Promise<Client> | null = null;
  /** Folders given a `.keep` object by `putSmall`. */
  private readonly kept = new Set<string>();

  constructor(private readonly options: S3Options) {
    super();
  }

  override put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<void> {
    return guarded(() => this.putDirect(key, body, options));
  }

  private async putDirect(key: string, body: Readable | Buffer, options: PutOptions): Promise<void> {
    const meta: Record<string, string> = options.contentType ? { 'Content-Type': options.contentType } : {};
    const client = await this.connect();
    const size = Buffer.isBuffer(body) ? body.length : options.size;
    if (size !== undefined && size <= PART_SIZE) {
      await client.putObject(this.options.bucket, key, body, size, meta);
      return;
    }
    await this.putMultipart(client, key, Buffer.isBuffer(body) ? Readable.from([body]) : body, meta);
  }

  /**
   * A multipart upload driven here rather than by minio's `putObject`, which first lists the bucket's
   * incomplete uploads to resume one (a request per upload, and one S3-compatible servers such as s3rver
   * don't implement). Keys are never reused, so there is nothing to resume; a failed upload is aborted.
   */
  private async putMultipart(client: Client, key: string, body: Readable, meta: Record<string, string>) {
    const bucket = this.options.bucket;
    const uploadId = await client.initiateNewMultipartUpload(bucket, key, meta);
    try {
      const etags: { part: number; etag: string }[] = [];
      for await (const chunk of parts(body, PART_SIZE)) {
        const part = etags.length + 1;
        const config = { bucketName: bucket, objectName: key, uploadID: uploadId, partNumber: part, headers: {} };
        etags.push({ part, etag: (await client.uploadPart(config, chunk)).etag });
      }
      await client.completeMultipartUpload(bucket, key, uploadId, etags);
    } catch (error) {
      body.destroy();
      await client.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
      throw error;
    }
  }

  override async putSmall(key: string, data: Buffer): Promise<void> {
    const folder = key.slice(0, key.lastIndexOf('/') + 1);
    if (folder && !this.kept.has(folder)) {
      await this.put(`${folder}.keep`, Buffer.alloc(0));
      this.kept.add(folder);
    }
    await this.put(key, data);
  }

  override async deleteMany(keys: string[]): Promise<void> {
    const client = await guarded(() => this.connect());
    for (let i = 0; i < keys.length; i += 1000) {
      await guarded(() => client.removeObjects(this.options.bucket, keys.slice(i, i + 1000)), true);
    }
  }

  override stat(key: string): Promise<StoredFile | null> {
    return guarded(() => this.statDirect(key), true);
  }

  private async statDirect(key: string): Promise<StoredFile | null> {
    try {
      const info = await (await this.connect()).statObject(this.options.bucket, key);
      const meta = info.metaData as Record<string, string | undefined>;
      return {
        size: info.size,
        modified: info.lastModified,
        etag: `"${info.etag}"`,
        contentType: meta['content-type'] ?? 'application/octet-stream',
      };
    } catch (error) {
      if (notFound(error)) {
        return null;
      }
      throw error;
    }
  }

  override get(key: string, range?: ByteRange): Promise<FileRead | null> {
    return guarded(() => this.getDirect(key, range), true);
  }

  private async getDirect(key: string, range?: ByteRange): Promise<FileRead | null> {
    const info = await this.statDirect(key);
    if (!info) {
      return null;
    }
    const client = await this.connect();
    const answer =
      range && info.size > 0
        ? await client.getPartialObject(this.options.bucket, key, range.start, range.end - range.start + 1)
        : await client.getObject(this.options.bucket, key);
    // An answer cut before its first byte fails here, inside `guarded` (a 503, after one more try on a reset).
    return { ...info, stream: await started(answer) };
  }

  override readWhole(key: string): Promise<WholeFile | null> {
    return guarded(() => this.readWholeDirect(key), true);
  }

  /**
   * One GET, its bytes checked against that answer's length and (a single-part object's) MD5 ETag. A torn answer
   * (short, broken off, or not the bytes the ETag names: s3rver writes an object in place, so a GET during a PUT of
   * the same key can read a part of it) is null, as a missing object is.
   */
  private async readWholeDirect(key: string): Promise<WholeFile | null> {
    const client = await this.connect();
    let answer: IncomingMessage;
    try {
      answer = (await client.getObject(this.options.bucket, key)) as IncomingMessage;
    } catch (error) {
      if (notFound(error)) {
        return null;
      }
      throw error;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of answer as AsyncIterable<Buffer>) {
        chunks.push(chunk);
      }
    } catch {
      return null;
    }
    const data = Buffer.concat(chunks);
    const header = (name: string) => String(answer.headers[name] ?? '');
    const etag = header('etag').replace(/"/g, '');
    const md5 = /^[0-9a-f]{32}$/i.test(etag) ? etag.toLowerCase() : null;
    if (
      data.length !== Number(header('content-length')) ||
      (md5 && createHash('md5').update(data).digest('hex') !== md5)
    ) {
      return null;
    }
    return {
      size: data.length,
      modified: new Date(header('last-modified') || 0),
      etag: `"${etag}"`,
      contentType: header('content-type') || 'application/octet-stream',
      data,
    };
  }

  override delete(key: string): Promise<void> {
    return guarded(async () => (await this.connect()).removeObject(this.options.bucket, key), true);
  }

  override async deletePrefix(prefix: string): Promise<void> {
    const client = await this.connect();
    const names: string[] = [];
    for await (const item of client.listObjectsV2(this.options.bucket, prefix, true)) {
      if ((item as { name?: string }).name) {
        names.push((item as { name: string }).name);
      }
    }
    for (let i = 0; i < names.length; i += 1000) {
      await client.removeObjects(this.options.bucket, names.slice(i, i + 1000));
    }
  }

  override async list(prefix: string): Promise<ListedFile[]> {
    return retryReset(async () => {
      const client = await this.connect();
      const out: ListedFile[] = [];
      for await (const item of client.listObjectsV2(this.options.bucket, prefix, true)) {
        const entry = item as { name?: string; size?: number; lastModified?: Date };
        if (entry.name) {
          out.push({ key: entry.name, size: entry.size ?? 0, modified: entry.lastModified ?? new Date(0) });
        }
      }
      return out;
    });
  }

  override async check(): Promise<void> {
    if (!(await (await this.connect()).bucketExists(this.options.bucket))) {
      throw new Error(`bucket "${this.options.bucket}" doesn't exist`);
    }
  }

  private connect(): Promise<Client> {
    this.client ??= (async () => {
      const { Client: MinioClient } = await import('minio');
      const url = new URL(
        /^https?:\/\//i.test(this.options.endpoint) ? this.options.endpoint : `https://${this.options.endpoint}`,
      );
      return new MinioClient({
        endPoint: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        useSSL: url.protocol === 'https:',
        accessKey: this.options.accessKey,
        secretKey: this.options.secret,
        region: this.options.region || undefined,
        pathStyle: this.options.forcePathStyle,
        partSize: PART_SIZE,
      });
    })();
    return this.client;
  }
}
