import { Injectable, Logger } from '@nestjs/common';
import type { Sharp, SharpOptions } from 'sharp';
import { FileStorage } from '../file-storage';
import type { ThumbSize } from './thumb-size';

type SharpFactory = (options?: SharpOptions) => Sharp;

/**
 * Thumbnails made with sharp on first request and cached in the same storage. Concurrent first
 * requests in one process share one generation; the storage write is atomic, so requests in other
 * processes see either no thumb or the whole one.
 */
@Injectable()
export class ThumbsService {
  private readonly pending = new Map<string, Promise<boolean>>();
  private sharp: Promise<SharpFactory> | null = null;
  private readonly logger = new Logger('Thumbs');

  constructor(private readonly storage: FileStorage) {}

  /** Makes sure the thumb exists; false when it can't be made (the original is served instead). */
  ensure(originalKey: string, key: string, size: ThumbSize, contentType: string): Promise<boolean> {
    let job = this.pending.get(key);
    if (!job) {
      job = this.make(originalKey, key, size, contentType).finally(() => this.pending.delete(key));
      this.pending.set(key, job);
    }
    return job;
  }

  private async make(originalKey: string, key: string, size: ThumbSize, contentType: string): Promise<boolean> {
    if (await this.storage.exists(key)) {
      return true;
    }
    const original = await this.storage.get(originalKey);
    if (!original) {
      return false;
    }
    try {
      const sharp = await (this.sharp ??= import('sharp').then(
        (m) => (m as unknown as { default: SharpFactory }).default,
      ));
      const image = sharp({ failOn: 'none' }).rotate();
      const transform = this.resize(image, size);
      const output =
        contentType === 'image/gif'
          ? { type: 'image/gif', pipeline: transform.gif() }
          : contentType === 'image/jpeg' || contentType === 'image/jpg'
            ? { type: 'image/jpeg', pipeline: transform.jpeg() }
            : { type: 'image/png', pipeline: transform.png() };
      original.stream.pipe(output.pipeline);
      const buffer = await output.pipeline.toBuffer();
      await this.storage.put(key, buffer, { contentType: output.type, size: buffer.length });
      return true;
    } catch (error) {
      original.stream.destroy();
      this.logger.warn(`thumb ${key} failed: ${String(error)}`);
      return false;
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
