import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** The channel a commit touching `_collections` or `_params` notifies (`SCHEMA_NOTIFY_SQL`'s triggers). */
const CHANNEL = 'nb_schema';
const RECONNECT_MS = 1000;

/**
 * Statement triggers on `_collections` and `_params`: a transaction that writes either notifies `nb_schema` when it
 * commits (PostgreSQL delivers notices only after the commit, to every listening session). Idempotent; run at start
 * under the migration lock.
 */
export const SCHEMA_NOTIFY_SQL = String.raw`
CREATE OR REPLACE FUNCTION nb_schema_notify() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME);
  RETURN NULL;
END $f$;
DROP TRIGGER IF EXISTS nb_schema_notify ON "_collections";
CREATE TRIGGER nb_schema_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "_collections"
  FOR EACH STATEMENT EXECUTE FUNCTION nb_schema_notify();
DROP TRIGGER IF EXISTS nb_schema_notify ON "_params";
CREATE TRIGGER nb_schema_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "_params"
  FOR EACH STATEMENT EXECUTE FUNCTION nb_schema_notify();
`;

const logger = new Logger('Database');

/**
 * One session of this process that LISTENs on `nb_schema`: `mark()` grows with every notice, so a cache compares
 * it with the mark it last checked under and reads the schema stamp only when another process committed a
 * collection or settings change. While the session is down (reconnecting every second) `mark()` is null and
 * the caches fall back to polling; a reconnect moves the mark (notices may have been missed meanwhile).
 */
export class SchemaNotices {
  private count = 0;
  private client: Client | null = null;
  private closed = false;

  constructor(private readonly url: string) {}

  mark(): number | null {
    return this.client ? this.count : null;
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', () => this.count++);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.count++;
      this.client = client;
    } catch (error) {
      logger.warn(`LISTEN ${CHANNEL} failed (${(error as Error).message}): polling for schema changes`);
      await client.end().catch(() => undefined);
      this.retry();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private lost(client: Client): void {
    if (this.client !== client) {
      return;
    }
    this.client = null;
    this.count++;
    this.retry();
  }

  private retry(): void {
    if (!this.closed) {
      setTimeout(() => void this.start(), RECONNECT_MS).unref();
    }
  }
}
