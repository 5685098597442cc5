import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock, formatDate } from '@lib/core';
import { CronScheduler } from '@lib/hooks';
import { LogRepository } from '../logs/log.repository';
import { LogWriter } from '../logs/log-writer';
import { AuthStateCleanup } from './auth-state-cleanup';

/** PocketBase's system jobs (same ids and schedules), plus the auth-origins clean-up. */
@Injectable()
export class SystemCrons implements OnModuleInit {
  constructor(
    private readonly crons: CronScheduler,
    private readonly logs: LogRepository,
    private readonly writer: LogWriter,
    private readonly auth: AuthStateCleanup,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.crons.addSystem('__pbLogsCleanup__', '0 */6 * * *', () => this.pruneLogs());
    this.crons.addSystem('__pbDBOptimize__', '0 0 * * *', () => this.auth.optimize());
    this.crons.addSystem('__pbMFACleanup__', '0 * * * *', async () => void (await this.auth.expired('_mfas')));
    this.crons.addSystem('__pbOTPCleanup__', '0 * * * *', async () => void (await this.auth.expired('_otps')));
    this.crons.addSystem(
      '__nbAuthOriginsCleanup__',
      '30 * * * *',
      async () => void (await this.auth.orphanedOrigins()),
    );
  }

  /**
   * Entries older than `logs.maxDays` days (all of them when logging is off), as the settings say now: the policy
   * is read again after the job brought the settings up to date, not taken from the writer's last periodic read.
   */
  async pruneLogs(): Promise<void> {
    await this.writer.flush();
    const days = (await this.writer.refresh()).maxDays;
    await this.logs.deleteBefore(formatDate(new Date(this.clock.now() - Math.max(0, days) * 86_400_000)));
  }
}
