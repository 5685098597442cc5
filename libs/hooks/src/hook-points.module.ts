import { DynamicModule, Global, Module } from '@nestjs/common';
import { HookPoints } from '@lib/core';
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
        { provide: HookPoints, useValue: new HookPointsRunner(hooks, null, null) },
      ],
      exports: [HookPoints, HooksApp],
    };
  }
}
