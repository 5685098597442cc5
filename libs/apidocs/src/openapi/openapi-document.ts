import type { CustomRoute } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import { adminPaths } from './admin-paths';
import { authPaths, authResponseComponent } from './auth-paths';
import { customPaths } from './custom-paths';
import type { JsonSchema } from './field-schemas';
import { commonComponents, fixedTag, type PathItem } from './openapi-common';
import { publicPaths } from './public-paths';
import { recordComponents, recordPaths } from './record-paths';

export interface DocumentInfo {
  /** `settings.meta.appName`. */
  appName: string;
  /** The server version. */
  version: string;
}

/** An OpenAPI 3.1 document, as plain JSON data. */
export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, PathItem> };

const FIXED_TAGS: [string, string][] = [
  ['collections', 'Collection definitions (superusers).'],
  ['settings', 'Application settings (superusers).'],
  ['logs', 'Request and app logs (superusers).'],
  ['backups', 'Backups of the data directory (superusers).'],
  ['crons', 'Cron jobs (superusers).'],
  ['files', 'Record files and file tokens.'],
  ['realtime', 'Server-sent events (and WebSocket) of record changes.'],
  ['batch', 'Several record writes in one transaction.'],
  ['auth', 'Auth flows shared by every auth collection.'],
  ['health', 'Health check.'],
  ['docs', 'This document.'],
  ['hooks', 'Routes added by hooks (routerAdd in pb_hooks files and hook modules).'],
];

function collectionTag(collection: CollectionModel): { name: string; description: string } {
  const kind =
    collection.type === 'auth' ? 'Auth collection' : collection.type === 'view' ? 'View collection' : 'Collection';
  const extra = collection.type === 'auth' ? ` Sign-in: ${ruleSummary(collection.authRule)}.` : '';
  return { name: collection.name, description: `${kind} \`${collection.name}\` (id \`${collection.id}\`).${extra}` };
}

function ruleSummary(rule: string | null | undefined): string {
  return rule === null || rule === undefined ? 'nobody (authRule null)' : rule === '' ? 'anyone' : `\`${rule}\``;
}

/**
 * The OpenAPI document of a server with these collections: the record routes of each (the auth routes of auth
 * collections), then the fixed API. Pure: the same collections give the same document.
 */
export function buildOpenApiDocument(
  collections: readonly CollectionModel[],
  info: DocumentInfo,
  hookRoutes: readonly CustomRoute[] = [],
): OpenApiDocument {
  const sorted = [...collections].sort((a, b) => Number(a.system) - Number(b.system) || a.name.localeCompare(b.name));
  const paths: Record<string, PathItem> = {};
  const schemas: Record<string, JsonSchema> = {};
  for (const collection of sorted) {
    Object.assign(paths, recordPaths(collection));
    Object.assign(schemas, recordComponents(collection));
    if (collection.type === 'auth') {
      Object.assign(paths, authPaths(collection));
      Object.assign(schemas, authResponseComponent(collection));
    }
  }
  Object.assign(paths, adminPaths(), publicPaths());
  Object.assign(paths, customPaths(hookRoutes, paths));
  const common = commonComponents();
  return {
    openapi: '3.1.0',
    info: {
      title: `${info.appName} API`,
      version: info.version,
      description:
        'The PocketBase-compatible HTTP API of this server, generated from its live collections. ' +
        'Send an auth token in the `Authorization` header (the `pocketbase` JS SDK does). ' +
        'Errors are `{status, message, data}`; the rules of each collection are quoted in its operations.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    security: [{}, { pbAuth: [] }],
    tags: [
      ...sorted.map(collectionTag),
      ...FIXED_TAGS.map(([name, description]) => ({ name: fixedTag(name), description })),
    ],
    paths,
    components: { ...common, schemas: { ...(common.schemas as object), ...schemas } },
  };
}
