import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppRestart } from '@lib/core';
import { EventBus } from '@lib/events';

/**
 * What outlives the in-process restart of a restore: this process's id on the bus, and whether the app now
 * starting runs on data just restored (then it announces it once started).
 */
export const RestoreNotice = { origin: randomUUID(), pending: false };

/**
 * Other processes on the data directory (the split services, several full servers on Redis) keep the database
 * files they opened; after a restore they would go on with the old data. The process that restored announces
 * `backup.restored` once it runs on the restored data, and every other one restarts in-process on hearing it.
 */
@Injectable()
export class RestoreFollower implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('backups');
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly bus: EventBus,
    @Optional() private readonly app?: AppRestart,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.bus.subscribe('backup.restored', ({ origin }) => {
      const app = this.app;
      if (origin === RestoreNotice.origin || !app) {
        return;
      }
      this.logger.warn('a backup was restored by another process: restarting on the restored data');
      // not from inside the bus's own delivery: the restart closes the bus
      setImmediate(() => {
        app.restart().catch((error: unknown) => this.logger.error(`restart after a restore failed: ${String(error)}`));
      });
    });
    if (RestoreNotice.pending) {
      RestoreNotice.pending = false;
      this.bus.publish('backup.restored', { origin: RestoreNotice.origin });
    }
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
