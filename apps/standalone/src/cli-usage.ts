// The light part of the CLI: the help texts and the usage error. `nestbase --help`, `nestbase <command> --help`
// and a mistyped flag or command are answered from here and cli.ts without loading the app (NestJS, TypeORM, the
// libs: ~1.3 s of CPU); the commands themselves load it (cli-commands.ts).

/** A usage error: one line on stderr, exit code 2. */
export class UsageError extends Error {}

export const MIGRATE_USAGE =
  'usage: nestbase migrate up | down [N] | create NAME | collections | history-sync (N a whole number > 0)';

/** `migrate`'s arguments, but for the name of `create` (checked by cli-migrate.ts, which loads the hooks lib). */
export function checkMigrateArgs(args: string[]): void {
  const [action, arg] = args;
  const count = action === 'down' && arg !== undefined ? Number(arg) : 1;
  const valid =
    (['up', 'collections', 'history-sync'].includes(action) && args.length === 1) ||
    (action === 'down' && args.length <= 2 && Number.isInteger(count) && count > 0) ||
    (action === 'create' && args.length === 2);
  if (!valid) {
    throw new UsageError(MIGRATE_USAGE);
  }
}

const BACKUP_HELP = `Usage:
  nestbase backup create [NAME] [--dir DIR]   back up the data directory (default name pb_backup_<UTC stamp>.zip)
  nestbase backup list [--dir DIR]            list the backups (size, date)
  nestbase backup restore NAME [--dir DIR]    replace the data with a backup (stop the server first)

Backups live in <dir>/backups, or in the bucket of the settings' backups.s3 when it is enabled.
On PostgreSQL (DATABASE_URL/--db) the zip is the same: the database as a SQLite data.db (from one consistent
snapshot), so a backup restores on either database; a restore replaces PostgreSQL's data in one transaction.
`;

const DB_HELP = `Usage: nestbase db copy --from SRC --to DST [--replace]

Copies a whole nestbase database between SQLite and PostgreSQL (or between two of either): the system tables,
every collection (its table and indexes, or its view), every record, the superusers, the settings, external
auths, MFA/OTP rows and the pb_migrations history. SRC and DST are each a data directory (its data.db, SQLite)
or a postgres://user:password@host:port/database URL.

SRC is read from one consistent snapshot, so its server may keep running. Stop DST's server. At the end every
table's row count and checksum (of its values, normalised) are compared on both sides. DST must not hold data
unless --replace; any failure (or a mismatch) leaves DST as it was: one transaction on PostgreSQL, a new file
renamed over data.db on SQLite. Only the database is copied: the data directory's storage/ (local files) and
its auxiliary.db (logs) stay where they are. A view collection's query must run on DST's database.
`;

const IMPORT_POCKETBASE_HELP = `Usage: nestbase import-pocketbase SRC [--dir DIR] [--replace]

Imports a PocketBase (v0.23 or later) data dir SRC (its pb_data) into the nestbase data dir DIR (default ./pb_data):
collections, settings, every record (ids, password hashes and token keys kept: users sign in as before),
external auths, live MFA/OTP rows and the files of the local storage. SRC is read from a consistent snapshot,
so PocketBase may keep running. DIR must be empty or missing unless --replace; a failure leaves DIR as it was.

With DATABASE_URL/--db (PostgreSQL) the import is built as a SQLite database first, then copied into PostgreSQL
in one transaction (as \`nestbase db copy\`, verified by counts and checksums); DIR receives the files. The
PostgreSQL database must hold no data unless --replace. PocketBase's view queries must run on PostgreSQL.
`;

const MIGRATE_HELP = `Usage:
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

const TYPEGEN_HELP = `Usage: nestbase typegen [--dir DIR] [--out FILE]

Writes TypeScript types of the collections in DIR for the pocketbase JS SDK: per collection a <Name>Record (what
reads return), <Name>Expand, <Name>Create and <Name>Update, and a TypedPocketBase:

  import PocketBase from 'pocketbase';
  import type { TypedPocketBase } from './pocketbase-types';
  const pb = new PocketBase('http://127.0.0.1:8090') as TypedPocketBase;
  const post = await pb.collection('posts').getOne(id); // a PostsRecord

Flags:
  --dir DIR    data directory (default ./pb_data, env NB_DIR)
  --out FILE   where to write (default ./pocketbase-types.ts; "-" prints to stdout)
`;

export const HELP: Record<string, string> = {
  main: `nestbase: a PocketBase-compatible backend

Usage: nestbase <command> [flags]

Commands:
  serve                          start the server (API, dashboard, public files)
  superuser upsert EMAIL PASS    create or update a superuser
  superuser delete EMAIL         delete a superuser
  backup create|list|restore     back up or restore the data (SQLite or PostgreSQL)
  db copy --from SRC --to DST [--replace]
                                 copy the database between SQLite (a data dir) and PostgreSQL (a URL)
  migrate up|down|create|collections|history-sync
                                 apply, revert or write pb_migrations files
  typegen [--out FILE]           write TypeScript types of the collections for the JS SDK
  import-pocketbase SRC [--dir DIR] [--replace]
                                 import a PocketBase (v0.23+) pb_data: collections, records, users, files
  gateway|auth|records|files|realtime [--http ADDR] [--dir DIR]
                                 run one service of the distributed set (see README "Deploy")
  help [COMMAND]                 this text, or a command's (as COMMAND --help)
  --version                      the version

Run "nestbase <command> --help" for the flags of a command.
`,
  serve: `Usage: nestbase serve [flags]

Flags:
  --http ADDR        host:port to listen on (default 127.0.0.1:8090, env NB_HTTP)
  --dir DIR          data directory (default ./pb_data, env NB_DIR)
  --publicDir DIR    static files served at / (default ./pb_public, env NB_PUBLIC_DIR)
  --hooksDir DIR     server-side hooks: *.pb.js / *.pb.ts files (default ./pb_hooks, env NB_HOOKS_DIR)
  --dev              reload the hooks when their files change
  --migrationsDir DIR  migrations applied at start (default <dir>/../pb_migrations, env NB_MIGRATIONS_DIR)
  --automigrate      write a migration file for each collection change made through the API or the
                     dashboard (env NB_AUTOMIGRATE; off by default)
  --db URL           postgres://user:password@host:port/db selects PostgreSQL (env DATABASE_URL; default:
                     SQLite <dir>/data.db)
  --queryTimeout S   seconds one read statement may run (env NB_QUERY_TIMEOUT_MS in ms; default 5)
  -h, --help         show this help

Environment PB_ADMIN_EMAIL + PB_ADMIN_PASSWORD upsert a superuser at start.
`,
  backup: BACKUP_HELP,
  db: DB_HELP,
  migrate: MIGRATE_HELP,
  typegen: TYPEGEN_HELP,
  'import-pocketbase': IMPORT_POCKETBASE_HELP,
  superuser: `Usage:
  nestbase superuser upsert EMAIL PASSWORD [--dir DIR]   create or update a superuser
  nestbase superuser delete EMAIL [--dir DIR]            delete a superuser
`,
};
