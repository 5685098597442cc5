import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@lib/core';
import { CollectionsRegistry, fileNames, fromRow, RecordRepository, type RecordRequest } from '@lib/records';
import type { FieldModel } from '@lib/schema';
import { FileAccessService } from './file-access.service';
import { FileStorage, type StoredFile } from './file-storage';
import { fileHeaders, planResponse, type FileRequestHeaders, type FileResponse } from './http/file-response';
import { fileKey, isSafeSegment, thumbKey } from './storage-key';
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
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
    private readonly storage: FileStorage,
    private readonly thumbs: ThumbsService,
    private readonly access: FileAccessService,
  ) {}

  async serve(
    collection: string,
    recordId: string,
    filename: string,
    query: FileQuery,
    headers: FileRequestHeaders,
    req: RecordRequest,
  ): Promise<FileResponse> {
    const c = this.registry.findCollection(collection);
    if (!c || !isSafeSegment(recordId) || !isSafeSegment(filename)) {
      throw new NotFoundError();
    }
    const row = await this.records.findById(c, recordId);
    const field = row ? this.fieldHolding(c.fields, fromRow(c, row), filename) : undefined;
    if (!field) {
      throw new NotFoundError();
    }
    if (field.protected && !(await this.access.canView(c, recordId, query.token ?? '', req))) {
      throw new NotFoundError();
    }
    const originalKey = fileKey(c.id, recordId, filename);
    let key = originalKey;
    let info = await this.storage.stat(originalKey);
    if (!info) {
      throw new NotFoundError();
    }
    const thumb = allowedThumb(field, query.thumb ?? '', info.contentType);
    if (thumb) {
      const candidate = thumbKey(c.id, recordId, filename, query.thumb ?? '');
      const thumbInfo = (await this.thumbs.ensure(originalKey, candidate, thumb, info.contentType))
        ? await this.storage.stat(candidate)
        : null;
      if (thumbInfo) {
        [key, info] = [candidate, thumbInfo];
      }
    }
    const download = ['1', 't', 'true'].includes((query.download ?? '').toLowerCase());
    return this.respond(key, info, fileHeaders(filename, info, download, field.protected === true), headers);
  }

  private async respond(
    key: string,
    info: StoredFile,
    base: Record<string, string>,
    request: FileRequestHeaders,
  ): Promise<FileResponse> {
    const plan = planResponse(info, request);
    if (plan.status === 304) {
      return { status: 304, headers: base, body: null };
    }
    if (plan.status === 416) {
      return { status: 416, headers: { ...base, 'content-range': `bytes */${info.size}` }, body: null };
    }
    const read = await this.storage.get(key, plan.range);
    if (!read) {
      throw new NotFoundError();
    }
    const headers: Record<string, string> = { ...base, 'content-length': String(info.size) };
    if (plan.range) {
      headers['content-length'] = String(plan.range.end - plan.range.start + 1);
      headers['content-range'] = `bytes ${plan.range.start}-${plan.range.end}/${info.size}`;
    }
    return { status: plan.status, headers, body: read.stream };
  }

  private fieldHolding(fields: FieldModel[], record: Record<string, unknown>, filename: string) {
    return fields.find((f) => f.type === 'file' && fileNames(record[f.name]).includes(filename));
  }
}
