import { NestFactory } from '@nestjs/core';
import { ensureDataDir, type AppConfig } from '@lib/core';
import { BackupsService, OpsBackupsModule } from '@lib/ops';
import { CliModule } from './standalone.module';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A one-line progress display on a terminal (nothing when the output is a pipe or a file). */
function progress(label: string): ((bytes: number) => void) | undefined {
  if (!process.stdout.isTTY) {
    return undefined;
  }
  let last = 0;
  return (bytes) => {
    if (Date.now() - last > 100) {
      last = Date.now();
      process.stdout.write(`\r${label} ${mb(bytes)} written`);
    }
  };
}

/** `nestbase backup create|list|restore`, on the data directory without a server. */
export async function backup(args: string[], config: () => AppConfig, usage: (m: string) => Error): Promise<void> {
  const [action, name] = args;
  const valid =
    (action === 'create' && args.length <= 2) ||
    (action === 'list' && args.length === 1) ||
    (action === 'restore' && name && args.length === 2);
  if (!valid) {
    throw usage('usage: nestbase backup create [NAME] | backup list | backup restore NAME');
  }
  const loaded = config();
  ensureDataDir(loaded.dataDir);
  const modules = { module: class CliBackupModule {}, imports: [CliModule.forRoot(loaded), OpsBackupsModule] };
  const app = await NestFactory.createApplicationContext(modules, { logger: ['error'] });
  try {
    const backups = app.get(BackupsService);
    if (action === 'create') {
      const started = Date.now();
      const key = await backups.create(name, progress('backing up:'));
      process.stdout.write(
        `${process.stdout.isTTY ? '\r' : ''}Created backup "${key}" in ${Date.now() - started} ms.\n`,
      );
    } else if (action === 'list') {
      for (const b of await backups.list()) {
        process.stdout.write(`${b.key}\t${b.size}\t${b.modified}\n`);
      }
    } else {
      await backups.restoreOffline(name);
      process.stdout.write(`Restored the data directory from "${name}".\n`);
    }
  } finally {
    await app.close();
  }
}
