import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CUSTOM_ROUTES, ForbiddenError, UnauthorizedError, type RequestAuth } from '@lib/core';
import { CollectionsRegistry, SettingsService, StoreSync } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { buildOpenApiDocument } from './openapi-document';
import { serverVersion } from './server-version';

/** The document as served: its JSON text and an entity tag of it. */
export interface ServedDocument {
  json: string;
  etag: string;
}

type Settings = Awaited<ReturnType<SettingsService['get']>>;

/**
 * `GET /api/openapi.json`: built from the collection registry, kept until the collections or the settings change
 * (both are replaced whole on any change, so the objects themselves are the version).
 */
@Injectable()
export class OpenApiService {
  private cached: {
    collections: readonly CollectionModel[];
    settings: Settings;
    routes: number;
    doc: ServedDocument;
  } | null = null;
  private builds = 0;

  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly settings: SettingsService,
    private readonly sync: StoreSync,
  ) {}

  /** True when `settings.openapi.public` lets anyone read the document. */
  async isPublic(): Promise<boolean> {
    await this.sync.ensureFresh();
    return publicDocs(await this.settings.get());
  }

  /** Throws 401/403 unless the document is public or the caller is a superuser. */
  async checkAccess(auth: RequestAuth | null): Promise<void> {
    if (auth?.isSuperuser || (await this.isPublic())) {
      return;
    }
    if (!auth) {
      throw new UnauthorizedError('The request requires valid superuser authorization token.');
    }
    throw new ForbiddenError('The authorized record is not allowed to perform this action.');
  }

  async document(): Promise<ServedDocument> {
    await this.sync.ensureFresh();
    const settings = await this.settings.get();
    const collections = this.registry.allCollections();
    const routes = CUSTOM_ROUTES.version;
    const cached = this.cached;
    if (cached?.collections === collections && cached.settings === settings && cached.routes === routes) {
      return cached.doc;
    }
    const meta = settings.meta as { appName?: unknown };
    const appName = typeof meta?.appName === 'string' && meta.appName ? meta.appName : 'nestbase';
    const json = JSON.stringify(
      buildOpenApiDocument(collections, { appName, version: serverVersion() }, CUSTOM_ROUTES.all()),
    );
    const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
    this.builds += 1;
    this.cached = { collections, settings, routes, doc: { json, etag } };
    return this.cached.doc;
  }

  /** How many times the document was built (the cache's tests read it). */
  buildCount(): number {
    return this.builds;
  }
}

export function publicDocs(settings: Settings): boolean {
  const group = settings.openapi as { public?: unknown } | undefined;
  return group?.public === true;
}
