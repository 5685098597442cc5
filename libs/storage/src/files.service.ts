import { Inject, Injectable, Optional } from '@nestjs/common';
import { fireHook, HookPoints, hookRequestFields, NotFoundError } from '@lib/core';
import type { RecordRequest } from '@lib/records';
import { FileAccessService } from './file-access.service';
import { FileLocator } from './file-locator';
import { Readable } from 'node:stream';
import { FileStorage, type ByteRange, type StoredFile } from './file-storage';
import { byteRangesBody } from './http/byte-ranges';
import { fileHeaders, planResponse, type FileRequestHeaders, type FileResponse } from './http/file-response';
import { fileKey, storageKey, thumbKey } from './storage-key';
import { allowedThumb } from './thumbs/thumb-size';
import { ThumbsService } from './thumbs/thumbs.service';

export interface FileQuery {
  thumb?: string;
  download?: string;
  token?: string;
}

/** `GET /api/files/{collection}/{recordId}/{filename}`: a record's file (or thumb), streamed. */
@Injectable()
export class FilesService {
  constructor(
    private readonly locator: FileLocator,
    private readonly storage: FileStorage,
    private readonly thumbs: ThumbsService,
    private readonly access: FileAccessService,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  async serve(
    collection: string,
    recordId: string,
    filename: string,
    query: FileQuery,
    headers: FileRequestHeaders,
    req: RecordRequest,
  ): Promise<FileResponse> {
    const file = await this.locator.locate(collection, recordId, filename);
    if (file.isProtected && !(await this.access.canView(file.collection, recordId, query.token ?? '', req))) {
      throw new NotFoundError();
    }
    const { collectionId, recordId: storedId } = file.storedIn;
    const originalKey = fileKey(collectionId, storedId, filename);
    let key = originalKey;
    let info = await this.storage.stat(originalKey);
    if (!info) {
      throw new NotFoundError();
    }
    let servedName = filename;
    /** A thumb is served from memory: the bytes this process read whole or rendered. */
    let held: Buffer | null = null;
    const thumb = allowedThumb(file.field, query.thumb ?? '', info.contentType);
    if (thumb) {
      const candidate = thumbKey(collectionId, storedId, filename, query.thumb ?? '');
      const made = await this.thumbs.ensure(originalKey, candidate, thumb, info.contentType);
      if (made) {
        const { data, ...thumbInfo } = made;
        // served as PocketBase names a thumb: `<size>_<filename>`
        [key, info, servedName, held] = [candidate, thumbInfo, `${query.thumb ?? ''}_${filename}`, data];
      }
    }
    const download = ['1', 't', 'true'].includes((query.download ?? '').toLowerCase());
    // onFileDownloadRequest: `e.record` (the whole record), `e.collection`, `e.fileField`, the request (`e.auth`,
    // `e.request`, `e.requestInfo()`); `e.servedPath` (a storage key: another file is served) and `e.servedName`
    // changeable, a throw refuses
    const c = file.collection;
    const event = {
      collection: { id: c.id, name: c.name, type: c.type },
      record: file.record,
      // PocketBase's FileField (`e.fileField.name`); read as text it is the name, as before
      fileField: { ...file.field, toString: () => file.field.name },
      servedPath: key,
      servedName,
      auth: req.auth ?? null,
      ...hookRequestFields(req, {}),
    };
    const served = info;
    return fireHook(
      this.hooks,
      'onFileDownloadRequest',
      event,
      async (e) => {
        const path = String(e.servedPath);
        const [servedKey, servedInfo] = path === key ? [key, served] : await this.statChosen(path);
        const base = fileHeaders(String(e.servedName), servedInfo, download, file.isProtected);
        return this.respond(servedKey, servedInfo, base, headers, path === key ? held : null);
      },
      c,
    );
  }

  /** The file a hook chose by its storage key: a key that could leave the storage, or names nothing, is a 404. */
  private async statChosen(path: string): Promise<[string, StoredFile]> {
    const key = storageKey(...path.split('/'));
    const info = await this.storage.stat(key);
    if (!info) {
      throw new NotFoundError();
    }
    return [key, info];
  }

  private async respond(
    key: string,
    info: StoredFile,
    base: Record<string, string>,
    request: FileRequestHeaders,
    held: Buffer | null,
  ): Promise<FileResponse> {
    const plan = planResponse(info, request);
    if (plan.status === 304) {
      return { status: 304, headers: base, body: null };
    }
    if (plan.status === 416) {
      return { status: 416, headers: { ...base, 'content-range': `bytes */${info.size}` }, body: null };
    }
    if (plan.ranges) {
      // The first range is opened before answering: a storage failing at once is an error status, not a cut 206.
      let first: Readable | null = await this.read(key, plan.ranges[0], held);
      const multi = byteRangesBody(plan.ranges, info.size, base['content-type'], (range) => {
        const opened = first;
        first = null;
        return opened ? Promise.resolve(opened) : this.read(key, range, held);
      });
      multi.body.once('close', () => first?.destroy()); // a reply abandoned before its first range
      const headers = { ...base, 'content-type': multi.contentType, 'content-length': String(multi.length) };
      return { status: 206, headers, body: multi.body };
    }
    const body = await this.read(key, plan.range, held);
    const headers: Record<string, string> = { ...base, 'content-length': String(info.size) };
    if (plan.range) {
      headers['content-length'] = String(plan.range.end - plan.range.start + 1);
      headers['content-range'] = `bytes ${plan.range.start}-${plan.range.end}/${info.size}`;
    }
    return { status: plan.status, headers, body };
  }

  private async read(key: string, range: ByteRange | undefined, held: Buffer | null): Promise<Readable> {
    if (held) {
      return Readable.from([range ? held.subarray(range.start, range.end + 1) : held]);
    }
    const read = await this.storage.get(key, range);
    if (!read) {
      throw new NotFoundError();
    }
    return read.stream;
  }
}
