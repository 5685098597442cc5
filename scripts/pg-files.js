'use strict';
// The e2e files (test/e2e/<name>.e2e-spec.ts) that the `pg` tier of scripts/run-tests.js runs again on PostgreSQL,
// each server on a fresh database: the files that start servers of their own (or need the standalone server's
// shape), which can't run through a deployment. Every HTTP scenario file and SDK suite that can (the files
// libs/testing/src/suite-files.ts picks) runs on PostgreSQL through the gateway of the PostgreSQL-backed
// distributed set instead (test/distributed/postgres.e2e-spec.ts): one started set for all of them, no server start
// per file. `NB_TEST_PG_ANY=1 node scripts/run-tests.js pg <name>` still runs any e2e file on a standalone server
// on PostgreSQL. See README "PostgreSQL".
const PG_FILES = [
  'auth-token-cache',
  'replicas-schema-change',
  'replicas-list-totals',
  'replicas-ops',
  'replicas-logs',
  'files-s3-thumbs-replicas',
  'db-copy',
  'ops-restore',
  'backups-across-databases',
  'import-pocketbase-pg',
  'metrics-db',
  'hooks-jsvm-reads',
  'hooks-jsvm',
  'hooks-jsvm-auth',
  'hooks-jsvm-confirm',
  'hooks-jsvm-points',
  'hooks-jsvm-services',
  'hooks-jsvm-split',
  'hooks-jsvm-load',
  'hooks-jsvm-globals',
];

module.exports = { PG_FILES };
