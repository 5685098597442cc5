import { Injectable } from '@nestjs/common';
import { RecordsService, type RecordRequest } from '@lib/records';
import { AuthService } from './auth.service';

const USERS = 'users';

/**
 * The older tutorial's endpoints, kept working: `POST /api/users` registers into `users` (the records
 * create under its createRule), `POST /api/users/auth-via-email` logs in with `{identity | email, password}`.
 */
@Injectable()
export class TutorialService {
  constructor(
    private readonly records: RecordsService,
    private readonly auth: AuthService,
  ) {}

  register(body: Record<string, unknown>, expand: string, req: RecordRequest) {
    return this.records.create(USERS, body, expand, req);
  }

  /** The auth response plus the same record as `user`, the name the tutorial reads. */
  async authViaEmail(body: Record<string, unknown>, expand: string, req: RecordRequest) {
    const identity = body.identity ?? body.email;
    const result = await this.auth.authWithPassword(USERS, { identity, password: body.password }, expand, req);
    return { ...result, user: result.record };
  }
}
