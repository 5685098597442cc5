import { DynamicModule, Global, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HookPoints } from '@lib/core';
import { CollectionsRegistry } from '@lib/records';
import { HookPointsRunner } from './hook-points-runner';
import { HookRegistry } from './hook-registry';
import { HooksApp } from './hooks-app';

/**
 * The hooks of a service that only fires hook points by name (the split files and realtime services): no record
 * hooks, routes, crons or migrations there, and no data helpers (`e.app` is null). Global, so `HookPoints` resolves
 * in every module.
 */
@Global()
@Module({})
export class HookPointsModule {
  static forRoot(app: HooksApp, hooks: HookRegistry = app.hooks): DynamicModule {
    return {
      module: HookPointsModule,
      providers: [
        { provide: HooksApp, useValue: app },
        { provide: HookRegistry, useValue: hooks },
        {
          provide: HookPoints,
          inject: [ModuleRef],
          // the collections where the service has them (the files service; not realtime without a database): looked
          // up when a hook runs, for `e.auth` as a record
          useFactory: (refs: ModuleRef) => {
            let found: CollectionsRegistry | null | undefined;
            return new HookPointsRunner(hooks, null, () => (found ??= collectionsOf(refs)));
          },
        },
      ],
      exports: [HookPoints, HooksApp],
    };
  }
}

function collectionsOf(refs: ModuleRef): CollectionsRegistry | null {
  try {
    return refs.get(CollectionsRegistry, { strict: false });
  } catch {
    return null; // not in this service
  }
}
