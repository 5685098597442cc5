import { Injectable } from '@nestjs/common';
import { BadRequestError, HookPoints, type HookTag } from '@lib/core';
import { runChain } from './hook-chain';
import { HookDataService } from './hook-data.service';
import { HookRegistry } from './hook-registry';

/**
 * The hook points other libs fire by name (see HookPoints), supported by name in NAMED_HOOKS: settings, batch,
 * backups, realtime subscriptions, files.
 */
export const NAMED_HOOKS = [
  'onSettingsListRequest',
  'onSettingsUpdateRequest',
  'onSettingsReload',
  'onBatchRequest',
  'onBackupCreate',
  'onBackupRestore',
  'onRealtimeSubscribeRequest',
  'onFileDownloadRequest',
  'onFileTokenRequest',
];

/** The hooks lib's side of `HookPoints`: the registry's handlers of that name, chained, with `e.app`. */
@Injectable()
export class HookPointsRunner extends HookPoints {
  constructor(
    private readonly registry: HookRegistry,
    private readonly data: HookDataService,
  ) {
    super();
  }

  override has(name: string, tag?: HookTag): boolean {
    return this.registry.handlers(name, tag).length > 0;
  }

  override async run<E extends object, T>(
    name: string,
    event: E,
    handle: (event: E) => Promise<T>,
    tag?: HookTag,
  ): Promise<T> {
    const e = Object.assign(event, { app: this.data.api(null), next: async () => undefined });
    let result: { value: T } | null = null;
    await runChain(this.registry.handlers<typeof e>(name, tag), e, async () => {
      result = { value: await handle(event) };
    });
    if (!result) {
      throw new BadRequestError('The request was stopped by a hook.');
    }
    return (result as { value: T }).value;
  }
}
