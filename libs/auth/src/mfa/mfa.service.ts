import { Injectable } from '@nestjs/common';
import { BadRequestError, Clock, formatDate } from '@lib/core';
import { RecordRepository, RuleGuard, type RecordData, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { MfaRepository } from './mfa.repository';
import { MfaRequiredError } from './mfa-required.error';

export type AuthMethod = 'password' | 'otp' | 'oauth2';

/** The factor an auth-with-* call just passed, and the `mfaId` of an earlier one (if sent). */
export interface AuthFactor {
  method: AuthMethod;
  mfaId: string;
}

interface MfaOptions {
  enabled?: boolean;
  duration?: number;
  rule?: string;
}

/** The factor of a request: `mfaId` from the query, else from the body (reference §2.3). */
export function authFactor(method: AuthMethod, body: Record<string, unknown>, req: RecordRequest): AuthFactor {
  const fromQuery = req.query.mfaId;
  const mfaId = fromQuery ? fromQuery : typeof body.mfaId === 'string' ? body.mfaId : '';
  return { method, mfaId };
}

const METHODS: readonly string[] = ['password', 'otp', 'oauth2'] satisfies AuthMethod[];

/** The factor implied by `@request.context` (`password`, `otp`, `oauth2`) with a query `mfaId`; else none. */
export function contextFactor(req: RecordRequest): AuthFactor | null {
  return METHODS.includes(req.context) ? { method: req.context as AuthMethod, mfaId: req.query.mfaId ?? '' } : null;
}

/** Multi-factor auth: a first factor stores a `_mfas` row; a second, different one consumes it. */
@Injectable()
export class MfaService {
  constructor(
    private readonly sessions: MfaRepository,
    private readonly records: RecordRepository,
    private readonly rules: RuleGuard,
    private readonly clock: Clock,
  ) {}

  /**
   * Returns when the login may finish: no factor (refresh, impersonation), MFA off, the rule doesn't match, or `factor` completes a
   * valid session (which is then deleted). Throws `MfaRequiredError` (401 `{mfaId}`) on a first factor.
   * `asSelf` is the request as the authenticating record, for `mfa.rule`.
   */
  async check(c: CollectionModel, record: RecordData, factor: AuthFactor | null, asSelf: RecordRequest): Promise<void> {
    const options = (c.mfa ?? {}) as MfaOptions;
    if (!factor || !options.enabled || !(await this.ruleMatches(c, record, options.rule ?? '', asSelf))) {
      return;
    }
    const recordId = String(record.id);
    const durationMs = (options.duration || 600) * 1000;
    if (!factor.mfaId) {
      await this.sessions.deleteOlder(c.id, recordId, formatDate(new Date(this.clock.now() - durationMs)));
      const session = await this.sessions.insert(c.id, recordId, factor.method);
      throw new MfaRequiredError(session.id);
    }
    const session = await this.sessions.findById(factor.mfaId);
    if (!session || Date.parse(session.created.replace(' ', 'T')) + durationMs < this.clock.now()) {
      if (session) {
        await this.sessions.delete(session.id);
      }
      throw new BadRequestError('Invalid or expired MFA session.');
    }
    if (session.recordRef !== recordId || session.collectionRef !== c.id) {
      throw new BadRequestError('Invalid MFA session.');
    }
    if (session.method === factor.method) {
      throw new BadRequestError('A different authentication method is required.');
    }
    await this.sessions.delete(session.id);
  }

  private async ruleMatches(c: CollectionModel, record: RecordData, rule: string, asSelf: RecordRequest) {
    if (rule.trim() === '') {
      return true;
    }
    const where = [this.rules.compile(c, rule, 'rule', asSelf)];
    return (await this.records.findById(c, String(record.id), where)) !== null;
  }
}
