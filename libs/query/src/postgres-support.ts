// The support functions and the placeholder rewrite live with the PostgreSQL data source (libs/database).
export { POSTGRES_SUPPORT_SQL, toPostgresPlaceholders } from '@lib/database';
