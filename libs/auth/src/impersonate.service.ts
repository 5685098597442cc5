import { Injectable } from '@nestjs/common';
import { fieldError, NotFoundError, type FieldErrors } from '@lib/core';
import { fromRow, RecordPresenter, RecordRepository, type RecordRequest } from '@lib/records';
import { throwIfErrors } from './auth-input';
import { AuthService } from './auth.service';
import { TokenService } from './token.service';

/** Durations up to ~3 years, as for the collection token options (reference §4). */
const MAX_DURATION = 94_670_856;

/**
 * `POST /api/collections/{c}/impersonate/{id}` (superusers only, reference §2.2): a non-refreshable auth
 * token of the requested duration (0 = the collection's authToken duration). No MFA, no login alert.
 */
@Injectable()
export class ImpersonateService {
  constructor(
    private readonly auth: AuthService,
    private readonly records: RecordRepository,
    private readonly presenter: RecordPresenter,
    private readonly tokens: TokenService,
  ) {}

  async impersonate(idOrName: string, id: string, body: Record<string, unknown>, expand: string, req: RecordRequest) {
    const c = this.auth.authCollection(idOrName);
    const duration = body.duration ?? 0;
    const errors: FieldErrors = {};
    if (typeof duration !== 'number' || !Number.isInteger(duration)) {
      errors.duration = fieldError('validation_invalid_value', 'Must be an integer number of seconds.');
    } else if (duration < 0) {
      errors.duration = fieldError('validation_min_number_constraint', 'Must be no less than 0.', { min: 0 });
    } else if (duration > MAX_DURATION) {
      errors.duration = fieldError('validation_max_number_constraint', `Must be no greater than ${MAX_DURATION}.`, {
        max: MAX_DURATION,
      });
    }
    throwIfErrors(errors);
    const row = await this.records.findById(c, id);
    if (!row) {
      throw new NotFoundError();
    }
    const record = fromRow(c, row);
    const seconds = duration as number;
    const token = this.tokens.sign(c, record, 'auth', { refreshable: false }, seconds > 0 ? seconds : undefined);
    const [exported] = await this.presenter.present(c, [record], req, expand);
    exported.email = record.email;
    return { token, record: exported };
  }
}
