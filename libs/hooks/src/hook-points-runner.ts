import { Injectable } from '@nestjs/common';
import { BadRequestError, HookPoints, type HookTag } from '@lib/core';
import { CollectionsRegistry, type RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { EnrichRecord } from './enrich-record';
import { runChain } from './hook-chain';
import { HookDataService } from './hook-data.service';
import { HookRecord } from './hook-record';
import { HookRegistry } from './hook-registry';

/**
 * The hook points other libs fire by name (see HookPoints), supported by name in NAMED_HOOKS: settings, collection
 * reads and imports, batch,
 * backups, realtime connections / subscriptions / messages, files, auth refresh and the request / confirm flows of auth
 * records, record enrichment.
 */
export const NAMED_HOOKS = [
  'onSettingsListRequest',
  'onSettingsUpdateRequest',
  'onSettingsReload',
  'onCollectionsListRequest',
  'onCollectionViewRequest',
  'onCollectionsImportRequest',
  'onBatchRequest',
  'onBackupCreate',
  'onBackupRestore',
  'onRealtimeConnectRequest',
  'onRealtimeSubscribeRequest',
  'onRealtimeMessageSend',
  'onFileDownloadRequest',
  'onFileTokenRequest',
  'onRecordAuthRefreshRequest',
  'onRecordAuthWithPasswordRequest',
  'onRecordAuthWithOTPRequest',
  'onRecordAuthWithOAuth2Request',
  'onRecordEnrich',
  'onRecordRequestPasswordResetRequest',
  'onRecordConfirmPasswordResetRequest',
  'onRecordRequestVerificationRequest',
  'onRecordConfirmVerificationRequest',
  'onRecordRequestEmailChangeRequest',
  'onRecordConfirmEmailChangeRequest',
  'onRecordRequestOTPRequest',
];

/** Hook points whose chain may stop without refusing anything (the rest of the handlers are skipped). */
const STOP_IS_FINE = new Set(['onRecordEnrich']);

function isModel(tag: HookTag | undefined): tag is CollectionModel {
  return Array.isArray((tag as { fields?: unknown } | undefined)?.fields);
}

/**
 * The hooks lib's side of `HookPoints`: the registry's handlers of that name, chained, with `e.app`. A plain
 * `e.record` of a collection hook point becomes a hook record (`get`, `email()` …; `onRecordEnrich`: the JSON sent,
 * with `hide`/`unhide`/`withCustomData`), `e.auth` the authenticated record. Without a database (the realtime
 * service beside a records service) `e.app` is null.
 */
@Injectable()
export class HookPointsRunner extends HookPoints {
  constructor(
    private readonly registry: HookRegistry,
    private readonly data: HookDataService | null,
    private readonly registryOf: CollectionsRegistry | null | (() => CollectionsRegistry | null),
  ) {
    super();
  }

  private get collections(): CollectionsRegistry | null {
    return typeof this.registryOf === 'function' ? this.registryOf() : this.registryOf;
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
    const e = Object.assign(event, { app: this.data?.api(null) ?? null, next: async () => undefined });
    const finish = this.adapt(name, e, tag);
    let result: { value: T } | null = null;
    await runChain(this.registry.handlers<typeof e>(name, tag), e, async () => {
      result = { value: await handle(event) };
    });
    finish?.();
    if (!result) {
      if (STOP_IS_FINE.has(name)) {
        return handle(event);
      }
      throw new BadRequestError('The request was stopped by a hook.');
    }
    return (result as { value: T }).value;
  }

  /** Hook records for `e.record` / `e.auth`; returns what to do once the handlers ran. */
  private adapt(name: string, event: object, tag?: HookTag): (() => void) | null {
    const e = event as Record<string, unknown>;
    const auth = e.auth as { collectionId?: string; record?: RecordData } | null | undefined;
    if (auth && !(auth instanceof HookRecord) && auth.collectionId && auth.record) {
      const c = this.collections?.findCollection(auth.collectionId);
      e.auth = c ? new HookRecord(c, { ...auth.record }, auth.record) : null;
    }
    const record = e.record as RecordData | undefined;
    if (!isModel(tag) || !record || record instanceof HookRecord) {
      return null;
    }
    if (name === 'onRecordEnrich') {
      const enriched = new EnrichRecord(tag, record, (e.raw as RecordData | undefined) ?? record);
      const before = new Set(Object.keys(record));
      e.record = enriched;
      return () => enriched.finish(before);
    }
    e.record = new HookRecord(tag, { ...record }, record);
    return null;
  }
}
