import Module from 'node:module';
import { sep } from 'node:path';

/**
 * Imported by main.ts before anything loads TypeORM: its DriverFactory requires every driver it knows (SAP,
 * Spanner, Oracle, SQL Server, MySQL, Mongo, …) with their query runners, ~3 MB of idle RSS (issue 16), while
 * nestbase opens only better-sqlite3 or PostgreSQL. While `typeorm` loads, DriverFactory gets an empty module
 * for the others (creating one of them would fail: nestbase never does); any other module requiring them gets
 * the real one. The loader is restored right after.
 */
const UNUSED =
  /^\.\/(aurora-mysql|capacitor|cockroachdb|cordova|expo|mongodb|mysql|nativescript|oracle|react-native|sap|spanner|sqljs|sqlserver)\//;
const FACTORY = `${sep}typeorm${sep}driver${sep}DriverFactory.js`;

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;

loader._load = function (this: unknown, request, parent, isMain) {
  if (parent?.filename?.endsWith(FACTORY) && UNUSED.test(request)) {
    return {};
  }
  return load.call(this, request, parent, isMain);
};
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('typeorm');
} finally {
  loader._load = load;
}
