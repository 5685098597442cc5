import { Injectable } from '@nestjs/common';
import { ApiError } from '@lib/core';
import { Database, type TxExecutor } from '@lib/database';
import { CollectionsService, SettingsService } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { creationOrder, type PbCollection } from './pb-collections';
import { planSettings } from './pb-settings';

/** A PocketBase collection nestbase can't hold: the import stops, the target stays as it was. */
export class PocketBaseSchemaError extends Error {}

const detail = (error: unknown) =>
  error instanceof ApiError ? `${error.message} ${JSON.stringify(error.data)}` : (error as Error).message;

/**
 * The schema half of a PocketBase import, on a fresh nestbase data dir: its collections replaced by PocketBase's
 * (ids, fields, indexes, rules, auth options kept) and the settings nestbase honours applied.
 */
@Injectable()
export class PocketBaseSchemaImport {
  constructor(
    private readonly database: Database,
    private readonly collections: CollectionsService,
    private readonly settings: SettingsService,
  ) {}

  /** Returns the report lines of what was left out (views nestbase can't run). */
  async importCollections(all: readonly PbCollection[]): Promise<string[]> {
    const skipped: string[] = [];
    await this.database.schemaTransaction(async (tx) => {
      await this.dropAll(tx);
      const order = creationOrder(all);
      const tables = order.filter((c) => c.type !== 'view');
      for (const item of tables) {
        await this.save(tx, item, 'create');
      }
      const views = await this.createViews(
        tx,
        order.filter((c) => c.type === 'view'),
        skipped,
      );
      const full = all.filter((c) => c.type !== 'view' || views.has(c.id));
      await this.save(tx, full, 'complete');
    });
    await this.collections.published();
    return skipped;
  }

  /** Every collection as nestbase now holds it. */
  saved(): readonly CollectionModel[] {
    return this.collections.all();
  }

  /** Applies PocketBase's settings group by group; returns the report lines of what was left out. */
  async importSettings(raw: unknown): Promise<string[]> {
    const plan = planSettings(raw, await this.settings.get());
    for (const [group, value] of Object.entries(plan.groups)) {
      await this.applyGroup(group, value, plan.skipped);
    }
    return plan.skipped;
  }

  /** One settings group; the keys nestbase refuses are reported and the rest tried again without them. */
  private async applyGroup(group: string, value: unknown, skipped: string[]): Promise<void> {
    try {
      await this.settings.update({ [group]: value });
      return;
    } catch (error) {
      const refused =
        error instanceof ApiError ? (error.data[group] as Record<string, unknown> | undefined) : undefined;
      const keys = refused && !('code' in refused) ? Object.keys(refused) : [];
      if (keys.length === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) {
        skipped.push(`settings.${group}: refused by nestbase (${detail(error)}), default kept`);
        return;
      }
      for (const key of keys) {
        skipped.push(`settings.${group}.${key}: refused by nestbase (${JSON.stringify(refused?.[key])}), default kept`);
      }
      const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
      try {
        await this.settings.update({ [group]: rest });
      } catch (again) {
        skipped.push(`settings.${group}: refused by nestbase (${detail(again)}), default kept`);
      }
    }
  }

  /** A fresh data dir's initial collections go: PocketBase's own versions of them come in. */
  private async dropAll(tx: TxExecutor): Promise<void> {
    const rows = await tx.query<{ name: string; type: string }>('SELECT "name", "type" FROM "_collections"');
    for (const row of rows.filter((r) => r.type === 'view')) {
      await tx.ddl.dropView(row.name);
    }
    for (const row of rows.filter((r) => r.type !== 'view')) {
      await tx.ddl.dropTable(row.name);
    }
    await tx.run('DELETE FROM "_collections"');
  }

  private async save(tx: TxExecutor, items: PbCollection | readonly PbCollection[], step: string): Promise<void> {
    const list: readonly PbCollection[] = Array.isArray(items) ? items : [items as PbCollection];
    try {
      await this.collections.importIn(tx, [...list], false);
    } catch (error) {
      const which = list.length > 1 ? 'the collections' : `collection "${list[0]?.name}"`;
      throw new PocketBaseSchemaError(`${which} (${step}): ${detail(error)}`);
    }
  }

  /** Views one at a time, each after the views it reads; one nestbase can't run is skipped with a report line. */
  private async createViews(tx: TxExecutor, views: PbCollection[], skipped: string[]): Promise<Set<string>> {
    const made = new Set<string>();
    let pending = views;
    const failures = new Map<string, string>();
    while (pending.length > 0) {
      const next: PbCollection[] = [];
      for (const view of pending) {
        try {
          await this.collections.importIn(tx, [view], false);
          made.add(view.id);
        } catch (error) {
          failures.set(view.id, detail(error));
          // A view made before its fields were refused goes again, so a later attempt starts clean.
          await tx.ddl.dropView(view.name);
          next.push(view);
        }
      }
      if (next.length === pending.length) {
        for (const view of next) {
          skipped.push(
            `view collection "${view.name}": not created, nestbase refused its query (${failures.get(view.id)})`,
          );
        }
        break;
      }
      pending = next;
    }
    return made;
  }
}
