import { Injectable, OnModuleInit } from '@nestjs/common';
import { BodyLimits } from '@lib/core';
import type { FastifyRequest } from 'fastify';
import { CollectionsRegistry } from '../collections/collections.registry';
import { StoreSync } from '../collections/store-sync';
import { DEFAULT_FILE_MAX_SIZE } from './file-input';

const RECORD_ROUTES = ['/api/collections/:collection/records', '/api/collections/:collection/records/:id'];
/** PocketBase's default batch body limit (128 MiB) beyond the base limit. */
const BATCH_EXTRA = 96 * 1024 * 1024;

/** Record create/update may carry each file field's `maxSize × maxSelect` on top of the body limit. */
@Injectable()
export class RecordBodyLimits implements OnModuleInit {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly limits: BodyLimits,
    private readonly sync: StoreSync,
  ) {}

  onModuleInit(): void {
    this.limits.register(
      (request) => this.extraFor(request),
      () => this.sync.ensureFresh(),
    );
  }

  extraFor(request: FastifyRequest): number {
    const route = request.routeOptions?.url ?? '';
    if (request.method !== 'POST' && request.method !== 'PATCH') {
      return 0;
    }
    if (route === '/api/batch') {
      return BATCH_EXTRA;
    }
    const name = (request.params as Record<string, string> | undefined)?.collection;
    const collection = RECORD_ROUTES.includes(route) && name ? this.registry.findCollection(name) : undefined;
    let extra = 0;
    for (const field of collection?.fields ?? []) {
      if (field.type === 'file') {
        extra += (Number(field.maxSize ?? 0) || DEFAULT_FILE_MAX_SIZE) * Math.max(1, field.maxSelect ?? 1);
      }
    }
    return extra;
  }
}
