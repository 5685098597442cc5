import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/core';
import { fromRow, RecordRepository, RecordsService, type RecordRequest } from '@lib/records';
import { AuthService } from '../auth.service';

/** Keys a guest can't choose: credentials and verification come later, through a normal update. */
const CREDENTIAL_KEYS = ['email', 'password', 'passwordConfirm', 'oldPassword', 'verified', 'tokenKey'];

/**
 * `POST /api/collections/{c}/auth-anonymously` (collection option `anonymousAuth.enabled`): creates a
 * guest record with no email and no password through the normal create path (createRule applies with
 * `@request.context = "anonymous"`) and logs it in. The guest becomes a full user by setting email +
 * password (+ passwordConfirm) with a normal record update; its id, and so its records, stay.
 */
@Injectable()
export class AnonymousAuthService {
  constructor(
    private readonly auth: AuthService,
    private readonly records: RecordsService,
    private readonly repository: RecordRepository,
  ) {}

  async authAnonymously(idOrName: string, body: Record<string, unknown>, expand: string, req: RecordRequest) {
    const c = this.auth.authCollection(idOrName);
    const options = c.anonymousAuth as { enabled?: boolean } | undefined;
    if (c.name === '_superusers' || options?.enabled !== true) {
      throw new ForbiddenError('The collection is not configured to allow anonymous authentication.');
    }
    const data = Object.fromEntries(Object.entries(body).filter(([key]) => !CREDENTIAL_KEYS.includes(key)));
    const request: RecordRequest = { ...req, context: 'anonymous' };
    const created = await this.records.create(c.id, data, '', request);
    const row = await this.repository.findById(c, String(created.id));
    return this.auth.authResponse(c, fromRow(c, row!), expand, request);
  }
}
