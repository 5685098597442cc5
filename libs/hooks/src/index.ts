export { HooksModule } from './hooks.module';
export { HooksServer } from './hooks-server';
export type { HooksServerOptions, AppModuleFactory } from './hooks-server';
export { hooksRunner } from './hooks-runner';
export { HooksApp } from './hooks-app';
export { HookRegistry } from './hook-registry';
export { HookRecord } from './hook-record';
export type { HookCollection } from './hook-record';
export { HookRoutes, fastifyPath } from './routes/hook-routes';
export { requireAuth, requireSuperuserAuth, requireGuestOnly } from './routes/route-middlewares';
export { CronScheduler, CRON_JOB } from './cron/cron-scheduler';
export type { CronJobView } from './cron/cron-scheduler';
export { CronSchedule, CronSyntaxError } from './cron/cron-schedule';
export { runChain, hookError } from './hook-chain';
export type { Chained, ChainHandler } from './hook-chain';
export { loadHooksDir, hookFiles, HooksLoadError } from './loader/hooks-loader';
export { MigrationsService } from './migrations/migrations.service';
export { MigrationError } from './migrations/migration-file';
export { blankMigration } from './migrations/migration-templates';
export { snakeCase, writeMigrationFile } from './migrations/migration-names';
export type {
  CollectionEvent,
  CronEvent,
  Handler,
  HookData,
  HookRequestInfo,
  LifecycleEvent,
  MailerEvent,
  RecordEvent,
  RecordRequestEvent,
  RouteEvent,
  RouteMiddleware,
  RouteRequest,
} from './hook-types';
