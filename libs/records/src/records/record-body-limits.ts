import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig, BodyLimits } from '@lib/core';
import type { FastifyRequest } from 'fastify';
import { CollectionsRegistry } from '../collections/collections.registry';
import { StoreSync } from '../collections/store-sync';
import { SettingsService } from '../settings/settings.service';
import { DEFAULT_FILE_MAX_SIZE } from './file-input';

const RECORD_ROUTES = ['/api/collections/:collection/records', '/api/collections/:collection/records/:id'];
/** PocketBase's batch body limit when `batch.maxBodySize` is 0. */
const BATCH_DEFAULT = 128 * 1024 * 1024;

/** The whole batch request's limit for the settings' `batch` (`maxBodySize` 0: PocketBase's 128 MiB). */
export function batchBodyLimit(batch: { maxBodySize?: unknown } | undefined): number {
  const size = Number(batch?.maxBodySize ?? 0);
  return size > 0 ? size : BATCH_DEFAULT;
}

/** Record create/update may carry each file field's `maxSize × maxSelect` on top of the body limit. */
@Injectable()
export class RecordBodyLimits implements OnModuleInit {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly limits: BodyLimits,
    private readonly sync: StoreSync,
    private readonly settings: SettingsService,
    @Inject(AppConfig) private readonly config: AppConfig,
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
      // Read from the cached settings before the body: a batch service checks again with fresh ones (BatchService).
      return (
        batchBodyLimit(this.settings.cached()?.batch as { maxBodySize?: unknown } | undefined) - this.config.bodyLimit
      );
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
