import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock } from '@lib/core';
import type { RecordData, RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { AuthOriginRepository } from './auth-origin.repository';
import type { ClientRequest } from './client-request';
import { AuthMailService } from './mail/auth-mail.service';

/** Logins (not refreshes or impersonation) are the `@request.context` values of the auth-with-* endpoints. */
const LOGIN_CONTEXTS = new Set(['password', 'otp', 'oauth2']);
const MAX_ORIGINS = 5;

/**
 * "Login from a new location" alerts (reference §2.2): each login stores its md5(IP + User-Agent)
 * fingerprint in `_authOrigins` (at most 5 per record, least recently used dropped); a fingerprint
 * not seen before sends the collection's `authAlert` mail, except on the record's first login.
 */
@Injectable()
export class AuthAlertService {
  private readonly logger = new Logger('AuthAlert');

  constructor(
    private readonly origins: AuthOriginRepository,
    private readonly mail: AuthMailService,
    private readonly clock: Clock,
  ) {}

  /** Never fails the login: problems are logged. */
  async afterLogin(c: CollectionModel, record: RecordData, req: RecordRequest): Promise<void> {
    if (!LOGIN_CONTEXTS.has(req.context)) {
      return;
    }
    try {
      await this.track(c, record, (req as ClientRequest).ip ?? '', req.headers.user_agent ?? '');
    } catch (error) {
      this.logger.warn(`auth origin of ${c.name}/${String(record.id)} not stored: ${String(error)}`);
    }
  }

  private async track(c: CollectionModel, record: RecordData, ip: string, userAgent: string): Promise<void> {
    const recordId = String(record.id);
    const fingerprint = createHash('md5')
      .update(ip + userAgent)
      .digest('hex');
    const known = await this.origins.findByRecord(c.id, recordId);
    const current = known.find((o) => o.fingerprint === fingerprint);
    if (current) {
      await this.origins.touch(current.id);
      return;
    }
    await this.origins.insert(c.id, recordId, fingerprint);
    await this.origins.prune(c.id, recordId, MAX_ORIGINS);
    const alert = c.authAlert as { enabled?: boolean } | undefined;
    if (known.length > 0 && alert?.enabled && typeof record.email === 'string' && record.email !== '') {
      await this.mail.sendAuthAlert(
        c,
        record,
        `${this.clock.date().toISOString()} - ${ip || 'unknown IP'} - ${userAgent || 'unknown device'}`,
      );
    }
  }
}
