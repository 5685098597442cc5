import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Sharp, SharpOptions } from 'sharp';
import { FileStorage, type WholeFile } from '../file-storage';
import type { ThumbSize } from './thumb-size';

type SharpFactory = (options?: SharpOptions) => Sharp;

/** The type a thumb is stored and served as: GIF and JPEG keep theirs, everything else becomes PNG. */
function thumbType(contentType: string): string {
  if (contentType === 'image/gif') {
    return 'image/gif';
  }
  return contentType === 'image/jpeg' || contentType === 'image/jpg' ? 'image/jpeg' : 'image/png';
}

/**
 * Thumbnails made with sharp on first request and cached in the same storage, served from memory (the whole thumb
 * is read, or rendered, before the answer starts). Concurrent first requests in one process share one generation.
 * Processes don't coordinate: each one that finds no whole thumb stored renders it, PUTs it (the same bytes: a
 * second PUT changes nothing) and serves the bytes it rendered, never a re-read of the key another process may be
 * writing. A stored thumb whose read is torn by such a write is made again the same way.
 */
@Injectable()
export class ThumbsService {
  private readonly pending = new Map<string, Promise<WholeFile | null>>();
  private sharp: Promise<SharpFactory> | null = null;
  private readonly logger = new Logger('Thumbs');

  constructor(private readonly storage: FileStorage) {}

  /** The thumb, whole; null when it can't be made (the original is served instead). */
  ensure(originalKey: string, key: string, size: ThumbSize, contentType: string): Promise<WholeFile | null> {
    let job = this.pending.get(key);
    if (!job) {
      job = this.make(originalKey, key, size, contentType).finally(() => this.pending.delete(key));
      this.pending.set(key, job);
    }
    return job;
  }

  private async make(
    originalKey: string,
    key: string,
    size: ThumbSize,
    contentType: string,
  ): Promise<WholeFile | null> {
    const type = thumbType(contentType);
    const stored = await this.storage.readWhole(key);
    // an empty object is one another process has only begun to write (a rendered image is never empty)
    if (stored && stored.size > 0) {
      return { ...stored, contentType: type };
    }
    const data = await this.render(originalKey, key, size, type);
    if (!data) {
      return null;
    }
    try {
      await this.storage.put(key, data, { contentType: type, size: data.length });
    } catch (error) {
      this.logger.warn(`thumb ${key} not stored: ${String(error)}`);
    }
    // S3 names a single-part object by the MD5 of its bytes: the same ETag whichever process answers
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    return { size: data.length, modified: new Date(), etag, contentType: type, data };
  }

  private async render(originalKey: string, key: string, size: ThumbSize, type: string): Promise<Buffer | null> {
    const original = await this.storage.get(originalKey);
    if (!original) {
      return null;
    }
    try {
      const sharp = await (this.sharp ??= import('sharp').then(
        (m) => (m as unknown as { default: SharpFactory }).default,
      ));
      const transform = this.resize(sharp({ failOn: 'none' }).rotate(), size);
      const pipeline =
        type === 'image/gif' ? transform.gif() : type === 'image/jpeg' ? transform.jpeg() : transform.png();
      original.stream.pipe(pipeline);
      return await pipeline.toBuffer();
    } catch (error) {
      original.stream.destroy();
      this.logger.warn(`thumb ${key} failed: ${String(error)}`);
      return null;
    }
  }

  private resize(image: Sharp, size: ThumbSize): Sharp {
    if (size.width === 0 || size.height === 0) {
      return image.resize({ width: size.width || undefined, height: size.height || undefined });
    }
    if (size.mode === 'f') {
      return image.resize(size.width, size.height, { fit: 'inside', withoutEnlargement: true });
    }
    const position = size.mode === 't' ? 'top' : size.mode === 'b' ? 'bottom' : 'centre';
    return image.resize(size.width, size.height, { fit: 'cover', position });
  }
}
