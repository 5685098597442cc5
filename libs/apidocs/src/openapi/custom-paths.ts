import type { CustomRoute } from '@lib/core';
import { fixedTag, type PathItem } from './openapi-common';

/** PocketBase's route path (`/hello/{name}`, `/files/{path...}`) as an OpenAPI path and its parameter names. */
function openApiPath(path: string): { path: string; params: { name: string; rest: boolean }[] } {
  const params: { name: string; rest: boolean }[] = [];
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  const out = withSlash.replace(/\{(\w+)(\.\.\.)?\}/g, (_match, name: string, rest?: string) => {
    params.push({ name, rest: Boolean(rest) });
    return `{${name}}`;
  });
  return { path: out, params };
}

/**
 * The routes hooks added (`routerAdd` in pb_hooks files and hook modules): method, path and path parameters;
 * what they take and answer is the hook's own, so the answer is described, not typed. A route on a path the
 * fixed API documents already adds its method there and never replaces an operation.
 */
export function customPaths(
  routes: readonly CustomRoute[],
  existing: Record<string, PathItem>,
): Record<string, PathItem> {
  const out: Record<string, PathItem> = {};
  for (const route of routes) {
    const method = route.method.toLowerCase();
    if (method === 'head' || method === 'options') {
      continue;
    }
    const { path, params } = openApiPath(route.path);
    const item = (out[path] ??= { ...(existing[path] ?? {}) });
    if (item[method]) {
      continue;
    }
    item[method] = {
      tags: [fixedTag('hooks')],
      summary: `${route.method} ${route.path} (hook route)`,
      description: 'Added by a hook (`routerAdd`): its parameters, body and answers are the hook’s own.',
      parameters: params.map(({ name, rest }) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
        ...(rest ? { description: 'The rest of the path (may contain `/`).' } : {}),
      })),
      responses: { default: { description: 'What the hook answers.' } },
    };
  }
  return out;
}
