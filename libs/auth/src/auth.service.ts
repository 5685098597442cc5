import { Injectable } from '@nestjs/common';
import {
  BadRequestError,
  fireHook,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  type RequestAuth,
} from '@lib/core';
import {
  CollectionsRegistry,
  RecordPresenter,
  RecordRepository,
  type RecordData,
  type RecordRequest,
} from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { AuthHelpers } from './auth-helpers';
import { AuthRecordRepository } from './auth-record.repository';
import { hookedRecord, requestFields } from './hooked-record';
import { authFactor, contextFactor, type AuthFactor } from './mfa/mfa.service';
import { TokenService } from './token.service';

/** Password login and token refresh for auth collections (reference §2.2). */
@Injectable()
export class AuthService {
  constructor(
    private readonly identities: AuthRecordRepository,
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
    private readonly presenter: RecordPresenter,
    private readonly tokens: TokenService,
    private readonly helpers: AuthHelpers,
  ) {}

  authCollection(idOrName: string): CollectionModel {
    const c = this.registry.findCollection(idOrName);
    if (!c || c.type !== 'auth') {
      throw new NotFoundError('Missing or invalid auth collection context.');
    }
    return c;
  }

  async authWithPassword(idOrName: string, body: Record<string, unknown>, expand: string, req: RecordRequest) {
    const c = this.authCollection(idOrName);
    const passwordAuth = c.passwordAuth as { enabled: boolean; identityFields: string[] };
    if (!passwordAuth?.enabled) {
      throw new ForbiddenError('The collection is not configured to allow password authentication.');
    }
    const { identity, password, identityField } = body;
    const blank = (v: unknown) => typeof v !== 'string' || v === '' || v.length > 255;
    // PocketBase's form: identity and password 1–255 characters; identityField empty (any identity field) or one of
    // the collection's identity fields.
    const badField =
      identityField !== undefined &&
      identityField !== '' &&
      (typeof identityField !== 'string' || !passwordAuth.identityFields.includes(identityField));
    if (blank(identity) || blank(password) || badField) {
      const required = (v: unknown) =>
        typeof v !== 'string' || v === ''
          ? { code: 'validation_required', message: 'Cannot be blank.' }
          : { code: 'validation_length_out_of_range', message: 'The length must be between 1 and 255.' };
      throw new BadRequestError('An error occurred while validating the submitted data.', {
        ...(blank(identity) ? { identity: required(identity) } : {}),
        ...(blank(password) ? { password: required(password) } : {}),
        ...(badField ? { identityField: { code: 'validation_in_invalid', message: 'Must be a valid value.' } } : {}),
      });
    }
    const fields =
      typeof identityField === 'string' && identityField !== '' ? [identityField] : passwordAuth.identityFields;
    // onRecordAuthWithPasswordRequest before the password check: `e.record` (null when not found) may be replaced,
    // `e.identity`, `e.identityField`, `e.password`; a throw refuses.
    const found = await this.findByIdentity(c, fields, identity as string);
    const named = typeof identityField === 'string' ? identityField : '';
    const event = {
      record: found,
      identity,
      identityField: named,
      password,
      auth: req.auth ?? null,
      ...requestFields({ ...req, context: 'password' }, body),
    };
    return this.hook('onRecordAuthWithPasswordRequest', c, event, async (e) => {
      const record = hookedRecord(e.record, c);
      // An unknown identity costs one bcrypt compare too, so timing doesn't tell which accounts exist.
      const hash = record ? String(record.password) : await this.helpers.dummyHash();
      if (!(await this.helpers.hasher.verify(String(e.password), hash)) || !record) {
        throw new BadRequestError('Failed to authenticate.');
      }
      return this.authResponse(c, record, expand, { ...req, context: 'password' }, authFactor('password', body, req));
    });
  }

  async authRefresh(idOrName: string, expand: string, req: RecordRequest) {
    const c = this.authCollection(idOrName);
    if (!req.auth) {
      throw new UnauthorizedError();
    }
    if (req.auth.collectionId !== c.id) {
      throw new ForbiddenError('The request requires valid record authorization token to be set.');
    }
    const auth = req.auth;
    // onRecordAuthRefreshRequest: `e.record` (its changes are in the answer), `e.collection`; a throw refuses
    return this.hook('onRecordAuthRefreshRequest', c, { record: auth.record, auth }, async (e) => {
      const record = hookedRecord(e.record, c) ?? auth.record;
      if (auth.refreshable === false && auth.token) {
        // Impersonation tokens are not refreshable: the same token comes back (reference §2.2).
        const [exported] = await this.presenter.present(c, [record], req, expand);
        return { token: auth.token, record: { ...exported, email: record.email } };
      }
      return this.authResponse(c, record, expand, req);
    });
  }

  /**
   * A hook point of an auth flow by PocketBase's name (`onRecordRequestPasswordResetRequest` …), tagged with the
   * collection: `e.collection`, `e.record` and `fields`; `handle` runs as the handlers' `e.next()`.
   */
  hook<E extends { record: RecordData | null }, T>(
    name: string,
    c: CollectionModel,
    fields: E,
    handle: (e: E) => Promise<T>,
  ): Promise<T> {
    const event = { ...fields, collection: { id: c.id, name: c.name, type: c.type } };
    return fireHook(this.helpers.points, name, event, handle, c);
  }

  /**
   * The auth response `{ token, record }` after the collection's authRule passed. `factor`: the auth
   * method just passed (defaults from `req.context`), for MFA; refresh and impersonation pass none.
   */
  async authResponse(c: CollectionModel, record: RecordData, expand: string, req: RecordRequest, factor?: AuthFactor) {
    const self: RequestAuth = {
      collectionId: c.id,
      collectionName: c.name,
      record,
      isSuperuser: c.name === '_superusers',
    };
    const asSelf: RecordRequest = { ...req, auth: self };
    const authRule = c.authRule;
    if (authRule === null) {
      throw new ForbiddenError("The request doesn't satisfy the collection requirements to authenticate.");
    }
    if (
      authRule &&
      !(await this.records.findById(c, String(record.id), [this.helpers.rules.compile(c, authRule, 'rule', asSelf)]))
    ) {
      throw new ForbiddenError("The request doesn't satisfy the collection requirements to authenticate.");
    }
    await this.helpers.mfa.check(c, record, factor ?? contextFactor(req), asSelf); // MFA: 401 {mfaId} on a first factor
    const hooked = {
      kind: 'auth' as const,
      collection: c.name,
      id: String(record.id),
      http: null,
      request: req,
      record,
    };
    const response = await this.helpers.hooks.request(hooked, async () => {
      const token = this.tokens.sign(c, record, 'auth', { refreshable: true });
      const [exported] = await this.presenter.present(c, [record], asSelf, expand);
      exported.email = record.email;
      return { token, record: exported };
    });
    await this.helpers.alerts.afterLogin(c, record, req); // login alerts: logins only, never throws
    return response;
  }

  private async findByIdentity(c: CollectionModel, fields: string[], identity: string): Promise<RecordData | null> {
    const ordered = [...fields].sort((a, b) => Number(b === 'email') - Number(a === 'email'));
    for (const name of ordered) {
      if (name === 'email' && !identity.includes('@')) {
        continue;
      }
      const record = await this.identities.findByIdentity(c, name, identity);
      if (record) {
        return record;
      }
    }
    return null;
  }
}
