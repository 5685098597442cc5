import { Injectable } from '@nestjs/common';
import { Clock, formatDate } from '@lib/core';
import { Database, quoteIdentifier } from '@lib/database';
import { CollectionsRegistry } from '@lib/records';

/** The system jobs' clean-up of the auth state tables: expired OTPs and MFAs, origins of records gone. */
@Injectable()
export class AuthStateCleanup {
  constructor(
    private readonly database: Database,
    private readonly registry: CollectionsRegistry,
    private readonly clock: Clock,
  ) {}

  /** `_otps` / `_mfas` rows older than their collection's `otp.duration` / `mfa.duration` (seconds). */
  async expired(table: '_otps' | '_mfas'): Promise<number> {
    const option = table === '_otps' ? 'otp' : 'mfa';
    let removed = 0;
    for (const c of this.registry.allCollections()) {
      if (c.type !== 'auth') {
        continue;
      }
      const duration = Number((c[option] as { duration?: unknown } | undefined)?.duration ?? 0) || 180;
      const before = formatDate(new Date(this.clock.now() - duration * 1000));
      removed += await this.database.run(`DELETE FROM "${table}" WHERE "collectionRef" = ? AND "created" < ?`, [
        c.id,
        before,
      ]);
    }
    return removed;
  }

  /** `_authOrigins` rows whose collection or record no longer exists. */
  async orphanedOrigins(): Promise<number> {
    const auth = this.registry.allCollections().filter((c) => c.type === 'auth');
    let removed = await this.database.run(
      `DELETE FROM "_authOrigins" WHERE "collectionRef" NOT IN (${auth.map(() => '?').join(', ') || "''"})`,
      auth.map((c) => c.id),
    );
    for (const c of auth) {
      const table = quoteIdentifier(c.name);
      removed += await this.database.run(
        `DELETE FROM "_authOrigins" WHERE "collectionRef" = ? AND "recordRef" NOT IN (SELECT "id" FROM ${table})`,
        [c.id],
      );
    }
    return removed;
  }

  async optimize(): Promise<void> {
    // PostgreSQL's autovacuum analyzes on its own.
    if (this.database.engine === 'sqlite') {
      await this.database.run('PRAGMA optimize');
    }
  }
}
