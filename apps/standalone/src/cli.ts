import { parseArgs } from 'node:util';
import { checkMigrateArgs, HELP, UsageError } from './cli-usage';

const FLAGS = {
  http: { type: 'string' },
  dir: { type: 'string' },
  publicDir: { type: 'string' },
  hooksDir: { type: 'string' },
  dev: { type: 'boolean' },
  migrationsDir: { type: 'string' },
  automigrate: { type: 'boolean' },
  db: { type: 'string' },
  queryTimeout: { type: 'string' },
  out: { type: 'string' },
  replace: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS = new Set(['serve', 'superuser', 'migrate', 'typegen', 'db', 'backup', 'import-pocketbase']);

/** The app's modules, loaded at the first command that needs them (see cli-usage.ts). */
const commands = () => import('./cli-commands');

export async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const [command, ...rest] = parsed.positionals;
  const { help, ...flags } = parsed.values;
  const { out, replace, from, to } = flags;
  if (!command || (help && !HELP[command])) {
    process.stdout.write(HELP.main);
    if (!command && !help) {
      process.exitCode = 2;
    }
    return;
  }
  if (help) {
    process.stdout.write(HELP[command]);
    return;
  }
  if (replace !== undefined && command !== 'import-pocketbase' && command !== 'db') {
    throw new UsageError(`--replace is a flag of import-pocketbase and db copy, not of ${command}`);
  }
  if ((from !== undefined || to !== undefined) && command !== 'db') {
    throw new UsageError(`--from and --to are flags of db copy, not of ${command}`);
  }
  if (out !== undefined && command !== 'typegen') {
    throw new UsageError(`--out is a flag of typegen, not of ${command}`);
  }
  if (command === 'serve' && rest.length > 0) {
    throw new UsageError(`unexpected argument "${rest[0]}" for serve`);
  }
  if (command === 'superuser') {
    const [action, email, password] = rest;
    if (!(
      (action === 'upsert' && email && password && rest.length === 3) ||
      (action === 'delete' && email && rest.length === 2)
    )) {
      throw new UsageError('usage: nestbase superuser upsert EMAIL PASSWORD | superuser delete EMAIL');
    }
  }
  if (command === 'migrate') {
    checkMigrateArgs(rest);
  }
  if (!COMMANDS.has(command)) {
    throw new UsageError(`unknown command "${command}" (see nestbase --help)`);
  }
  await (await commands()).runCommand(command, rest, flags);
}

/** Runs the CLI; expected failures print one line and exit 2 (usage) or 1, never a stack trace. */
export function run(argv: string[]): void {
  main(argv).catch(async (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\n`);
      process.exit(2);
    }
    (await commands()).exitOnFailure(error);
  });
}
