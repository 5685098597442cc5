import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  ApiError,
  BadRequestError,
  fireHook,
  ForbiddenError,
  HookPoints,
  PayloadTooLargeError,
  toEnvelope,
  ValidationFailed,
} from '@lib/core';
import { applyFields, parseFields } from '@lib/query';
import { RecordsService, type UnitOfWork } from '../records/records.service';
import type { PreparedCreate } from '../records/write-notes';
import { batchCall, type BatchCall, type BatchItem } from './batch-call';
import { writeBatchNotes } from './batch-notes';
import { batchBodyLimit } from '../records/record-body-limits';
import type { RecordRequest } from '../records/record-request';
import { SettingsService } from '../settings/settings.service';

/** `POST /api/batch`: record create/update/upsert/delete requests in one transaction (reference §2.7). */
@Injectable()
export class BatchService {
  constructor(
    private readonly records: RecordsService,
    private readonly settings: SettingsService,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  /** `bodySize`: the request's Content-Length, checked against the settings as they are now (see below). */
  async run(body: unknown, outer: RecordRequest, bodySize = 0): Promise<{ status: number; body: unknown }[]> {
    const batch = (await this.settings.get()).batch as {
      enabled: boolean;
      maxRequests: number;
      timeout: number;
      maxBodySize?: unknown;
    };
    // The body was let in by this process's copy of the settings before the request brought it up to date: a
    // `batch.maxBodySize` lowered through another replica is applied here.
    if (bodySize > batchBodyLimit(batch)) {
      throw new PayloadTooLargeError();
    }
    if (!batch.enabled || batch.maxRequests <= 0) {
      throw new ForbiddenError('Batch requests are not allowed.');
    }
    const requests = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests) || requests.length === 0) {
      throw new ValidationFailed(
        { requests: { code: 'validation_required', message: 'Cannot be blank.' } },
        'Batch transaction failed.',
      );
    }
    if (requests.length > batch.maxRequests) {
      throw new ValidationFailed(
        {
          requests: {
            code: 'validation_length_too_long',
            message: `The allowed max number of batch requests is ${batch.maxRequests}.`,
          },
        },
        'Batch transaction failed.',
      );
    }
    this.validateItems(requests as BatchItem[]);
    // onBatchRequest: `e.batch` (the requests, changeable) before they run in one transaction
    return fireHook(this.hooks, 'onBatchRequest', { batch: requests as BatchItem[] }, (e) =>
      this.runAll(e.batch, outer, batch.timeout),
    );
  }

  private async runAll(
    requests: BatchItem[],
    outer: RecordRequest,
    timeout: number,
  ): Promise<{ status: number; body: unknown }[]> {
    const batch = { timeout };
    const deadline = Date.now() + Math.max(1, batch.timeout) * 1000;
    // The upload journal's notes of the items with files, before the transaction (see writeBatchNotes).
    const { notes, creates } = await writeBatchNotes(this.records, requests, outer);
    let current = 0;
    try {
      return await this.records.inTransaction(async (uow) => {
        const results: { status: number; body: unknown }[] = [];
        for (const [i, item] of requests.entries()) {
          current = i;
          if (Date.now() > deadline) {
            throw new BadRequestError('Batch transaction timed out.');
          }
          results.push(await this.runOne(uow, batchCall(item, outer), creates.get(i)));
        }
        return results;
      }, notes);
    } catch (error) {
      const response = toEnvelope(error);
      if (!(error instanceof ApiError)) {
        throw error;
      }
      throw new BadRequestError('Batch transaction failed.', {
        requests: { [String(current)]: { code: 'batch_request_failed', message: 'Batch request failed.', response } },
      });
    }
  }

  /** Shape checks of every item before anything runs: method required and known, url required and short. */
  private validateItems(items: BatchItem[]): void {
    const errors: Record<string, unknown> = {};
    items.forEach((item, i) => {
      const problems: Record<string, unknown> = {};
      const method = typeof item?.method === 'string' ? item.method.toUpperCase() : '';
      if (method === '') {
        problems.method = { code: 'validation_required', message: 'Cannot be blank.' };
      } else if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
        problems.method = { code: 'validation_in_invalid', message: 'Must be a valid value.' };
      }
      if (typeof item?.url !== 'string' || item.url === '') {
        problems.url = { code: 'validation_required', message: 'Cannot be blank.' };
      } else if (item.url.length > 2000) {
        problems.url = { code: 'validation_length_too_long', message: 'The length must be no more than 2000.' };
      }
      if (Object.keys(problems).length > 0) {
        errors[String(i)] = problems;
      }
    });
    if (Object.keys(errors).length > 0) {
      throw new ValidationFailed({ requests: errors }, 'Batch transaction failed.');
    }
  }

  private async runOne(
    uow: UnitOfWork,
    call: BatchCall,
    prepared: PreparedCreate | undefined,
  ): Promise<{ status: number; body: unknown }> {
    const { collection, data, query, req } = call;
    const expand = query.expand ?? '';
    const project = (value: unknown) => (query.fields ? applyFields(value, parseFields(query.fields)) : value);
    switch (call.action) {
      case 'create':
        return {
          status: 200,
          body: project(await this.records.createIn(uow, collection, data, expand, req, prepared)),
        };
      case 'upsert': {
        const id = call.id;
        const exists = id !== undefined && (await this.records.exists(collection, id, uow));
        const saved =
          id !== undefined && exists
            ? await this.records.updateIn(uow, collection, id, data, expand, { ...req, method: 'PATCH' })
            : await this.records.createIn(uow, collection, data, expand, { ...req, method: 'POST' }, prepared);
        return { status: 200, body: project(saved) };
      }
      case 'update':
        return { status: 200, body: project(await this.records.updateIn(uow, collection, call.id, data, expand, req)) };
      case 'delete':
        await this.records.deleteIn(uow, collection, call.id, req);
        return { status: 204, body: null };
    }
  }
}
