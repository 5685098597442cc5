import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { NestFactory } from '@nestjs/core';
import { ensureDataDir, type AppConfig } from '@lib/core';
import {
  blankMigration,
  HooksApp,
  HooksModule,
  loadHooksDir,
  MigrationsService,
  snakeCase,
  writeMigrationFile,
} from '@lib/hooks';
import { JobQueue } from '@lib/jobs';
import { CliModule } from './standalone.module';

export const MIGRATE_HELP = `Usage:
  nestbase migrate up                 apply the migrations not applied yet
  nestbase migrate down [N]           revert the last N applied migrations (default 1; asks first on a terminal)
  nestbase migrate create NAME        write a blank migration: <unix seconds>_<name>.js
  nestbase migrate collections        write a migration of every current collection (a snapshot; system ones aside)
  nestbase migrate history-sync       forget applied migrations whose files were deleted

Flags:
  --dir DIR             data directory (default ./pb_data, env NB_DIR)
  --migrationsDir DIR   the migration files (default <dir>/../pb_migrations, env NB_MIGRATIONS_DIR)
  --hooksDir DIR        pb_hooks files loaded first, as at serve (default ./pb_hooks, env NB_HOOKS_DIR)

Migration files (*.js, *.ts) call migrate((app) => { up }, (app) => { down }), as PocketBase's. They apply in
name order, each in its own transaction, at every start of "nestbase serve" (and of the records service) too; the
applied ones are rows of the _migrations table. A failing migration changes nothing: its file:line and error are
printed and the command exits 1. "nestbase serve --automigrate" writes one for each collection change made
through the API or the dashboard.
`;

const print = (line: string) => process.stdout.write(`${line}\n`);

/** PocketBase's question before `migrate down`, asked on a terminal only (scripts and CI have no one to ask). */
async function confirmRevert(count: number): Promise<boolean> {
  if (!process.stdin.isTTY) {
    return true;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`Do you really want to revert the last ${count} applied migration(s)? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** `nestbase migrate up|down [N]|create NAME|collections|history-sync`. */
export async function migrate(args: string[], config: () => AppConfig, usage: (m: string) => Error): Promise<void> {
  const [action, arg] = args;
  const count = action === 'down' && arg !== undefined ? Number(arg) : 1;
  const valid =
    (['up', 'collections', 'history-sync'].includes(action) && args.length === 1) ||
    (action === 'down' && args.length <= 2 && Number.isInteger(count) && count > 0) ||
    (action === 'create' && args.length === 2 && snakeCase(arg) !== '');
  if (!valid) {
    throw usage(
      'usage: nestbase migrate up | down [N] | create NAME | collections | history-sync (N a whole number > 0)',
    );
  }
  const loaded = config();
  if (action === 'down' && !(await confirmRevert(count))) {
    print('Nothing reverted.');
    return;
  }
  if (action === 'create') {
    const name = writeMigrationFile(loaded.migrations.dir, snakeCase(arg), blankMigration());
    print(`Created ${path.join(loaded.migrations.dir, name)}`);
    return;
  }
  ensureDataDir(loaded.dataDir);
  const hooks = new HooksApp();
  hooks.readsAwaited = loaded.db.url !== '';
  if (fs.existsSync(loaded.hooksDir)) {
    await loadHooksDir(loaded.hooksDir, hooks);
  }
  const modules = {
    module: class CliMigrateModule {},
    imports: [CliModule.forRoot(loaded), HooksModule.forRoot(hooks)],
  };
  const app = await NestFactory.createApplicationContext(modules, { logger: ['error'] });
  try {
    const migrations = app.get(MigrationsService);
    if (action === 'up') {
      const applied = await migrations.up((file) => print(`Applied ${file}`));
      print(applied.length ? `Applied ${applied.length} migration(s).` : 'No new migrations to apply.');
    } else if (action === 'down') {
      const reverted = await migrations.down(count, (file) => print(`Reverted ${file}`));
      print(reverted.length ? `Reverted ${reverted.length} migration(s).` : 'No applied migrations to revert.');
    } else if (action === 'collections') {
      print(`Created ${await migrations.snapshot()}`);
    } else {
      const gone = await migrations.historySync();
      gone.forEach((file) => print(`Forgot ${file}`));
      print(`Removed ${gone.length} history entr${gone.length === 1 ? 'y' : 'ies'} of deleted migration files.`);
    }
    // Queued work of the changes (removing deleted records' files) finishes before the process exits.
    await app.get(JobQueue).idle();
  } finally {
    await app.close();
  }
}
