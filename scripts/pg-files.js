'use strict';
// The HTTP scenario files (test/e2e/<name>.e2e-spec.ts) that run on PostgreSQL too: the `pg` tier of
// scripts/run-tests.js runs them each on a fresh database; test/distributed/postgres.e2e-spec.ts runs some of
// them through the gateway of the PostgreSQL-backed distributed set. See README "PostgreSQL".
const PG_FILES = [
  'records-crud',
  'records-list',
  'records-rules',
  'records-delete',
  'records-filter',
  'records-fields',
  'batch',
  'expand-fields',
  'collections-create',
  'collections-update',
  'collections-delete',
  'collections-read',
  'auth-methods',
  'auth-otp',
  'auth-mfa',
  'auth-state',
  'auth-oauth2',
  'auth-security-tokens',
  'auth-token-cache',
  'auth-tutorial',
  'collections-import',
  'records-modifiers',
  'replicas-schema-change',
  'security-realtime-rules',
  'sdk',
  'db-copy',
  'ops-backups',
  'ops-restore',
  'backups-across-databases',
  'import-pocketbase-pg',
  'metrics-db',
];

module.exports = { PG_FILES };
