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
import { MIGRATE_USAGE } from './cli-usage';
import { CliModule } from './standalone.module';

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
  // (the rest of the arguments were checked by cli.ts: checkMigrateArgs)
  const [action, arg] = args;
  const count = action === 'down' && arg !== undefined ? Number(arg) : 1;
  if (action === 'create' && snakeCase(arg) === '') {
    throw usage(MIGRATE_USAGE);
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
