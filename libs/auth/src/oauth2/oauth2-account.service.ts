import { Injectable } from '@nestjs/common';
import { randomString } from '@lib/core';
import {
  fromRow,
  RecordRepository,
  RecordsService,
  type RecordData,
  type RecordRequest,
  type UnitOfWork,
} from '@lib/records';
import { FIELD_KINDS, InvalidValue, type CollectionModel } from '@lib/schema';
import { OAuth2AccountRepository } from './oauth2-account.repository';
import { OAuth2AvatarService } from './oauth2-avatar.service';
import type { DownloadedFile } from './url-download';
import type { OAuth2User } from './oauth2-user';
import { SYSTEM_REQUEST } from '../system-request';

const MAPPED_KEYS = ['id', 'name', 'username', 'avatarURL'] as const;
const PASSWORD_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const sameEmail = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/**
 * Account matching of auth-with-oauth2, in one transaction (reference §2.4): the linked record, else the
 * caller's record, else the record with the provider's verified email, else a new record through the
 * normal create path; then the `_externalAuths` link.
 */
@Injectable()
export class OAuth2AccountService {
  constructor(
    private readonly records: RecordsService,
    private readonly repository: RecordRepository,
    private readonly accounts: OAuth2AccountRepository,
    private readonly avatars: OAuth2AvatarService,
  ) {}

  /**
   * The record a sign-in of this provider user matches, without writing anything: the linked record, else the
   * caller's record, else the record with the provider's (verified) email; null for a new account.
   */
  find(c: CollectionModel, provider: string, user: OAuth2User, req: RecordRequest): Promise<RecordData | null> {
    return this.records.inTransaction(async (uow) => {
      const link = await this.accounts.findLink(c.id, provider, user.id, uow.tx);
      const linked = link ? await this.load(c, link.recordRef, uow) : null;
      if (linked) {
        return linked;
      }
      const callerId = req.auth?.collectionId === c.id ? String(req.auth.record.id) : null;
      if (callerId) {
        return this.load(c, callerId, uow);
      }
      const id = user.email ? await this.accounts.findIdByEmail(c, user.email, uow.tx) : null;
      return id ? this.load(c, id, uow) : null;
    });
  }

  /**
   * Completes the sign-in with `record` (what `find` matched, or what a hook put in its place), in one transaction:
   * secures an existing unverified record, or creates one (null); then the `_externalAuths` link.
   */
  async submit(
    c: CollectionModel,
    provider: string,
    user: OAuth2User,
    createData: Record<string, unknown>,
    record: RecordData | null,
    req: RecordRequest,
  ): Promise<RecordData> {
    const avatar = record ? null : await this.avatars.download(c, provider, user, createData);
    try {
      return await this.records.inTransaction(async (uow) => {
        const link = await this.accounts.findLink(c.id, provider, user.id, uow.tx);
        if (link && !(await this.load(c, link.recordRef, uow))) {
          await this.records.deleteIn(uow, '_externalAuths', link.id, SYSTEM_REQUEST);
        }
        const callerId = req.auth?.collectionId === c.id ? String(req.auth.record.id) : null;
        const done = record
          ? await this.secureUnverified(uow, c, record, user, record.id === callerId)
          : await this.create(uow, c, user, createData, req, avatar);
        if (!(await this.accounts.findLink(c.id, provider, user.id, uow.tx))) {
          const added = { collectionRef: c.id, recordRef: done.id, provider, providerId: user.id };
          await this.records.createIn(uow, '_externalAuths', added, '', SYSTEM_REQUEST);
        }
        return done;
      });
    } finally {
      await avatar?.dispose();
    }
  }

  /** createData + the provider's email + the mapped fields (avatar file) + a random password; createRule applies. */
  private async create(
    uow: UnitOfWork,
    c: CollectionModel,
    user: OAuth2User,
    createData: Record<string, unknown>,
    req: RecordRequest,
    avatar: DownloadedFile | null,
  ): Promise<RecordData> {
    const body: Record<string, unknown> = { ...createData };
    await this.addMappedFields(uow, c, user, body);
    const avatarField = this.avatars.fileField(c);
    if (avatar && avatarField && !(avatarField in body)) {
      body[avatarField] = avatar.file;
    }
    // As PocketBase: the provider's email only when createData has none (an empty or non-string one counts as none).
    if (typeof body.email !== 'string' || body.email === '') {
      body.email = user.email;
    }
    const password = randomString(30, PASSWORD_ALPHABET);
    body.password = password;
    body.passwordConfirm = password;
    const created = await this.records.createIn(uow, c.id, body, '', { ...req, context: 'oauth2' });
    const record = (await this.load(c, String(created.id), uow))!;
    if (user.email && sameEmail(record.email, user.email) && record.verified !== true) {
      return this.patch(uow, c, record, { verified: true });
    }
    return record;
  }

  /** `oauth2.mappedFields`: provider values into fields not given in createData, when valid (and unique). */
  private async addMappedFields(uow: UnitOfWork, c: CollectionModel, user: OAuth2User, body: Record<string, unknown>) {
    const mapped = (c.oauth2 as { mappedFields?: Record<string, string> } | undefined)?.mappedFields ?? {};
    for (const key of MAPPED_KEYS) {
      const name = mapped[key];
      const field = c.fields.find((f) => f.name === name);
      // A file field gets the downloaded avatar (OAuth2AvatarService), not the URL.
      if (!field || field.type === 'file' || !user[key] || name in body) {
        continue;
      }
      try {
        const kind = FIELD_KINDS[field.type];
        const value = kind.normalize(user[key], field);
        if (kind.validate(value, field, { isNew: true })) {
          continue;
        }
        if (key === 'username' && (await this.accounts.isTaken(c, name, value, uow.tx))) {
          continue;
        }
        body[name] = value;
      } catch (error) {
        if (!(error instanceof InvalidValue)) {
          throw error;
        }
      }
    }
  }

  /**
   * An existing unverified record (anti pre-registration takeover): its old links go, its password is
   * randomized unless it is the caller's, an empty email is filled and it becomes verified when its
   * email matches the provider's.
   */
  private async secureUnverified(
    uow: UnitOfWork,
    c: CollectionModel,
    record: RecordData,
    user: OAuth2User,
    isCaller: boolean,
  ): Promise<RecordData> {
    if (record.verified === true) {
      return record;
    }
    for (const id of await this.accounts.findLinkIds(c.id, String(record.id), uow.tx)) {
      await this.records.deleteIn(uow, '_externalAuths', id, SYSTEM_REQUEST);
    }
    const patch: Record<string, unknown> = {};
    if (!isCaller) {
      const password = randomString(30, PASSWORD_ALPHABET);
      patch.password = password;
      patch.passwordConfirm = password;
    }
    if (user.email && (record.email === '' || sameEmail(record.email, user.email))) {
      patch.email = record.email === '' ? user.email : record.email;
      patch.verified = true;
    }
    return Object.keys(patch).length > 0 ? this.patch(uow, c, record, patch) : record;
  }

  private async patch(uow: UnitOfWork, c: CollectionModel, record: RecordData, body: Record<string, unknown>) {
    await this.records.updateIn(uow, c.id, String(record.id), body, '', SYSTEM_REQUEST);
    return (await this.load(c, String(record.id), uow))!;
  }

  private async load(c: CollectionModel, id: string, uow: UnitOfWork): Promise<RecordData | null> {
    const row = await this.repository.findById(c, id, [], uow.tx);
    return row ? fromRow(c, row) : null;
  }
}
