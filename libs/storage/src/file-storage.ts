import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** An inclusive byte range of a stored file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What is known about a stored file without reading it. */
export interface StoredFile {
  size: number;
  modified: Date;
  /** A strong validator for conditional requests (quoted). */
  etag: string;
  /** Sniffed from the bytes when the file was stored (or read). */
  contentType: string;
}

export interface FileRead extends StoredFile {
  stream: Readable;
}

/** A small file read whole into memory (`readWhole`). */
export interface WholeFile extends StoredFile {
  data: Buffer;
}

/** One entry of `FileStorage.list`. */
export interface ListedFile {
  key: string;
  size: number;
  modified: Date;
}

export interface PutOptions {
  contentType?: string;
  size?: number;
}

/** An append-only file held open (the upload journal's log of one process): each `append` is one write. */
export interface AppendLog {
  /** Appends `text` in one write; false (nothing written) when the file was removed meanwhile. */
  append(text: string): boolean;
  close(): void;
}

/**
 * Where files live: keys are `/`-separated paths (`<collectionId>/<recordId>/<filename>`) built with
 * `storageKey`, never raw client input. Implementations: local directory, S3 (minio client).
 */
export abstract class FileStorage {
  /** Stores a stream or buffer under `key` atomically (readers never see a partial file). */
  abstract put(key: string, body: Readable | Buffer, options?: PutOptions): Promise<void>;
  /** The file (or the `range` of it) as a stream, or null when it doesn't exist. */
  abstract get(key: string, range?: ByteRange): Promise<FileRead | null>;
  abstract stat(key: string): Promise<StoredFile | null>;
  /** Removes one file; a missing file is not an error. */
  abstract delete(key: string): Promise<void>;
  /** Removes every file whose key starts with `prefix` (which ends with `/`). */
  abstract deletePrefix(prefix: string): Promise<void>;
  /** The files whose key starts with `prefix` ('' for all), at any depth. */
  abstract list(prefix: string): Promise<ListedFile[]>;
  /** Throws when the backend can't be used (missing bucket, bad credentials). */
  abstract check(): Promise<void>;

  /**
   * Stores a small buffer (an upload journal note) as cheaply as the backend can: the local one writes it in place
   * (a reader may see it partial), S3 keeps a `.keep` object in its folder so servers that prune empty folders
   * (s3rver) don't race the next put.
   */
  async putSmall(key: string, data: Buffer): Promise<void> {
    await this.put(key, data, { size: data.length });
  }

  /**
   * Creates the file `key` and holds it open for appends, where the backend can (local files); null where it
   * can't (S3: objects are written whole).
   */
  openAppendLog(_key: string): AppendLog | null {
    return null;
  }

  /** Appends `text` to the existing file `key` (one write); false when it doesn't exist or can't be appended to. */
  appendExisting(_key: string, _text: string): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** Removes several files; missing ones are not an error. */
  async deleteMany(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.delete(key);
    }
  }

  /** The backend this storage writes to now (itself; the configured storage picks one from the settings). */
  backend(): Promise<FileStorage> {
    return Promise.resolve(this);
  }

  /**
   * A small file read whole into memory and checked to be whole: the bytes match the length (and, on S3, the MD5
   * ETag) its storage answered with. Null when it doesn't exist, or when the read was torn by a write of the same
   * key under way (S3-compatible servers that write objects in place, such as s3rver, can serve one mid-PUT).
   */
  async readWhole(key: string): Promise<WholeFile | null> {
    const read = await this.get(key);
    if (!read) {
      return null;
    }
    const { stream, ...info } = read;
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
    }
    const data = Buffer.concat(chunks);
    return data.length === info.size ? { ...info, data } : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  /** Stores a local file (an upload's temporary file); the local backend moves it instead of copying. */
  async putFile(key: string, file: string, options: PutOptions = {}): Promise<void> {
    const { size } = await stat(file);
    await this.put(key, createReadStream(file), { ...options, size });
  }
}
