import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { AppConfig } from '@lib/core';
import { CONTROLLER_ROUTES } from '@lib/testing';

import { StandaloneModule } from './standalone.module';

type ModuleRef = Type<unknown> | { module: Type<unknown>; imports?: unknown[]; controllers?: Type<unknown>[] };

/** Every controller of `root` and the modules it imports (static and dynamic). */
function controllersOf(root: ModuleRef, seen = new Set<unknown>()): Type<unknown>[] {
  const type = 'module' in root ? root.module : root;
  if (seen.has(root)) {
    return [];
  }
  seen.add(root);
  const dynamic = 'module' in root ? root : { imports: [], controllers: [] };
  const imports = [
    ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleRef[] | undefined) ?? []),
    ...((dynamic.imports ?? []) as ModuleRef[]),
  ];
  const controllers = [
    ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) as Type<unknown>[] | undefined) ?? []),
    ...(dynamic.controllers ?? []),
  ];
  return [...controllers, ...imports.filter(Boolean).flatMap((m) => controllersOf(m, seen))];
}

/** `METHOD /path` of every handler of `controller`. */
function routesOf(controller: Type<unknown>): string[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((name) => {
    const handler = proto[name];
    const method =
      typeof handler === 'function' ? (Reflect.getMetadata(METHOD_METADATA, handler) as number) : undefined;
    if (method === undefined) {
      return [];
    }
    const sub = String(Reflect.getMetadata(PATH_METADATA, handler as object) ?? '');
    const path = `/${[base, sub].filter((p) => p !== '' && p !== '/').join('/')}`.replace(/\/+/g, '/');
    return [`${RequestMethod[method]} ${path}`];
  });
}

void describe('the route fuzzer knows every route', () => {
  void it('lists exactly the controller routes of the standalone app', () => {
    const actual = [...new Set(controllersOf(StandaloneModule.forRoot({} as AppConfig)).flatMap(routesOf))].sort();
    assert.ok(actual.length >= 50, `only ${actual.length} routes found`);
    const listed = CONTROLLER_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    assert.deepEqual(
      listed.filter((r) => !actual.includes(r)),
      [],
      'listed in libs/testing/src/fuzz/route-list.ts but not served',
    );
    assert.deepEqual(
      actual.filter((r) => !listed.includes(r)),
      [],
      'served but missing from libs/testing/src/fuzz/route-list.ts',
    );
  });
});
