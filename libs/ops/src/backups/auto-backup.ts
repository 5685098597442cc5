import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock, fieldError } from '@lib/core';
import { CronSchedule, CronScheduler } from '@lib/hooks';
import { SettingsService, StoreSync } from '@lib/records';
import { AUTO_PREFIX } from './backup-names';
import { BackupsService } from './backups.service';

export const AUTO_BACKUP_JOB = '__pbAutoBackup__';
const CHECK_MS = 2000;

/**
 * `backups.cron`: registers the `__pbAutoBackup__` system job while the setting is set (following changes
 * within seconds), which takes `@auto_pb_backup_<app>_<stamp>.zip` and keeps the newest `backups.cronMaxKeep`.
 */
@Injectable()
export class AutoBackup implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('backups');
  private expression = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly crons: CronScheduler,
    private readonly settings: SettingsService,
    private readonly backups: BackupsService,
    private readonly freshness: StoreSync,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.settings.addCheck((patch) => {
      const cron = (patch.backups as { cron?: unknown } | undefined)?.cron;
      if (typeof cron !== 'string' || cron.trim() === '') {
        return {};
      }
      try {
        CronSchedule.parse(cron.trim());
        return {};
      } catch (error) {
        return { backups: { cron: fieldError('validation_invalid_cron', (error as Error).message) } };
      }
    });
    await this.sync();
    this.timer = setInterval(() => void this.sync().catch(() => undefined), CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
  }

  /**
   * Re-reads `backups.cron` and (un)registers the job when it changed. The settings are brought up to date first:
   * another process (a second replica, the one beside on the data dir) may have changed them, and this one may
   * serve no request that would.
   */
  async sync(): Promise<void> {
    await this.freshness.ensureFresh();
    const cron = ((await this.settings.get()).backups as { cron?: unknown } | undefined)?.cron;
    const expression = typeof cron === 'string' ? cron.trim() : '';
    if (expression === this.expression) {
      return;
    }
    this.expression = expression;
    if (expression === '') {
      this.crons.removeSystem(AUTO_BACKUP_JOB);
      return;
    }
    try {
      this.crons.addSystem(AUTO_BACKUP_JOB, expression, () => this.run());
    } catch (error) {
      this.logger.warn(`backups.cron "${expression}" not scheduled: ${(error as Error).message}`);
    }
  }

  async run(): Promise<void> {
    if (this.backups.busy) {
      return;
    }
    const settings = await this.settings.get();
    const appName = (settings.meta as { appName?: unknown }).appName;
    const app = (typeof appName === 'string' ? appName : '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    const stamp = this.clock.date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    await this.backups.create(`${AUTO_PREFIX}${app ? `${app}_` : ''}${stamp}.zip`, undefined, true);
    await this.rotate(Number((settings.backups as { cronMaxKeep?: unknown }).cronMaxKeep ?? 3));
  }

  /** Deletes the oldest auto backups beyond `keep`. */
  private async rotate(keep: number): Promise<void> {
    const autos = (await this.backups.list()).filter((b) => b.key.startsWith(AUTO_PREFIX));
    for (const old of autos.slice(Math.max(1, keep))) {
      await this.backups.delete(old.key);
    }
  }
}
