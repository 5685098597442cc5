import { randomBytes } from 'node:crypto';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DashboardInstaller, INSTALLER_EMAIL, INSTALLER_TOKEN_SECONDS } from '@lib/core';
import { Database } from '@lib/database';
import { EventBus } from '@lib/events';
import { CollectionsRegistry, fromRow, RecordRepository, RecordsService } from '@lib/records';
import { SYSTEM_REQUEST } from './system-request';
import { TokenService } from './token.service';

/**
 * The first-run installer link. The placeholder superuser `__pbinstaller@example.com` (random password,
 * never told to anyone) exists only while there is no real superuser; its token is non-refreshable and
 * lives 30 minutes. The first real superuser (installer form, `PB_ADMIN_*`, `superuser upsert`) removes it.
 */
@Injectable()
export class InstallerService extends DashboardInstaller implements OnApplicationBootstrap, OnModuleDestroy {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly database: Database,
    private readonly registry: CollectionsRegistry,
    private readonly rows: RecordRepository,
    private readonly records: RecordsService,
    private readonly tokens: TokenService,
    private readonly events: EventBus,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.subscribe('record.created', (event) => {
      if (event.collectionName === '_superusers' && event.record.email !== INSTALLER_EMAIL) {
        void this.removePlaceholder().catch(() => undefined);
      }
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async installerToken(): Promise<string | null> {
    if ((await this.realSuperusers()) > 0) {
      await this.removePlaceholder();
      return null;
    }
    const c = this.registry.findCollection('_superusers');
    if (!c) {
      return null;
    }
    let id = await this.placeholderId();
    if (!id) {
      const password = randomBytes(24).toString('base64url');
      const body = { email: INSTALLER_EMAIL, password, passwordConfirm: password, verified: true };
      await this.records.create('_superusers', body, '', SYSTEM_REQUEST);
      id = await this.placeholderId();
    }
    const row = id ? await this.rows.findById(c, id) : null;
    if (!row) {
      return null;
    }
    return this.tokens.sign(c, fromRow(c, row), 'auth', { refreshable: false }, INSTALLER_TOKEN_SECONDS);
  }

  /** Deletes the placeholder once a real superuser exists (the installer link dies with it). */
  async removePlaceholder(): Promise<void> {
    const id = await this.placeholderId();
    if (id && (await this.realSuperusers()) > 0) {
      await this.records.delete('_superusers', id, SYSTEM_REQUEST);
    }
  }

  private async realSuperusers(): Promise<number> {
    const rows = await this.database.query<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM "_superusers" WHERE NOT (${this.database.equalsNoCase('"email"')})`,
      [INSTALLER_EMAIL],
    );
    return Number(rows[0]?.n ?? 0);
  }

  private async placeholderId(): Promise<string | null> {
    const rows = await this.database.query<{ id: string }>(
      `SELECT "id" FROM "_superusers" WHERE ${this.database.equalsNoCase('"email"')}`,
      [INSTALLER_EMAIL],
    );
    return rows[0]?.id ?? null;
  }
}
