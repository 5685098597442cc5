import * as fs from 'node:fs';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@lib/core';
import { generateTypes } from '@lib/apidocs';
import { CollectionsRegistry } from '@lib/records';
import { CliModule } from './standalone.module';

/** `nestbase typegen`: reads the collections of the data directory (no server needed) and writes the types. */
export async function typegen(
  args: string[],
  out: string | undefined,
  config: () => AppConfig,
  usage: (m: string) => Error,
): Promise<void> {
  if (args.length > 0) {
    throw usage(`unexpected argument "${args[0]}" for typegen (see nestbase typegen --help)`);
  }
  const loaded = config();
  const database = path.join(loaded.dataDir, 'data.db');
  if (!fs.existsSync(database)) {
    throw usage(`no database at ${database}: nothing to generate types from (check --dir)`);
  }
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(loaded), { logger: ['error'] });
  let types: string;
  try {
    const collections = app.get(CollectionsRegistry, { strict: false }).allCollections();
    types = generateTypes(collections, `nestbase typegen from ${path.basename(loaded.dataDir)}`);
  } finally {
    await app.close();
  }
  if (out === '-') {
    process.stdout.write(types);
    return;
  }
  const file = path.resolve(out ?? 'pocketbase-types.ts');
  fs.writeFileSync(file, types);
  process.stdout.write(`Wrote the types of the collections to ${file}\n`);
}
