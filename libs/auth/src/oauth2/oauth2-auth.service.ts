import { Injectable } from '@nestjs/common';
import { fieldError, ForbiddenError, ValidationFailed, type FieldErrors } from '@lib/core';
import type { RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { AuthService } from '../auth.service';
import { AppleNameCache } from './apple-name-cache';
import { hookedRecord, requestFields } from '../hooked-record';
import { authFactor } from '../mfa/mfa.service';
import { OAuth2AccountService } from './oauth2-account.service';
import { OAuth2ClientService } from './oauth2-client.service';
import { providerClient } from './oauth2-provider-client';
import { OAuth2ProvidersService } from './oauth2-providers.service';
import type { OAuth2ProviderConfig } from './oauth2-user';

interface OAuth2Form {
  provider: OAuth2ProviderConfig;
  code: string;
  codeVerifier: string;
  redirectURL: string;
  createData: Record<string, unknown>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `POST /api/collections/{c}/auth-with-oauth2` (reference §2.2, §2.4). */
@Injectable()
export class OAuth2AuthService {
  constructor(
    private readonly auth: AuthService,
    private readonly providers: OAuth2ProvidersService,
    private readonly client: OAuth2ClientService,
    private readonly accounts: OAuth2AccountService,
    private readonly appleNames: AppleNameCache,
  ) {}

  async authWithOAuth2(idOrName: string, body: Record<string, unknown>, expand: string, req: RecordRequest) {
    const c = this.auth.authCollection(idOrName);
    if (!this.providers.options(c).enabled) {
      throw new ForbiddenError('The collection is not configured to allow OAuth2 authentication.');
    }
    const form = this.validate(c, body);
    const tokens = await this.client.exchange(form.provider, form.code, form.codeVerifier, form.redirectURL);
    const user = await this.client.fetchUser(form.provider, tokens);
    if (form.provider.name === 'apple' && !user.name) {
      user.name = await this.appleNames.take(form.code);
    }
    const request: RecordRequest = { ...req, context: 'oauth2' };
    const record = await this.accounts.find(c, form.provider.name, user, request);
    // onRecordAuthWithOAuth2Request before the account is written: `e.record` (null for a new one), `e.oauth2User`,
    // `e.createData`, `e.isNewRecord`, `e.providerName`, `e.providerClient` — changeable; a throw refuses.
    const oauth2User = {
      ...user,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiry: tokens.expiry,
    };
    const event = {
      record,
      oauth2User,
      createData: form.createData,
      isNewRecord: record === null,
      providerName: form.provider.name,
      providerClient: providerClient(form.provider, form.redirectURL),
      auth: req.auth ?? null,
      ...requestFields(request, body),
    };
    return this.auth.hook('onRecordAuthWithOAuth2Request', c, event, async (e) => {
      const u = e.oauth2User;
      const chosen = hookedRecord(e.record, c);
      const account = await this.accounts.submit(c, form.provider.name, u, e.createData ?? {}, chosen, request);
      // MFA (reference §2.3): a first factor answers 401 {mfaId}; a second one (body or query mfaId) completes it.
      const response = await this.auth.authResponse(c, account, expand, request, authFactor('oauth2', body, req));
      const { id, name, username, email, avatarURL, accessToken, refreshToken, expiry, rawUser } = u;
      const meta = { id, name, username, email, avatarURL, accessToken, refreshToken, expiry, rawUser };
      return { ...response, meta: { ...meta, isNew: e.isNewRecord } };
    });
  }

  private validate(c: CollectionModel, body: Record<string, unknown>): OAuth2Form {
    const errors: FieldErrors = {};
    const { provider, code, codeVerifier, createData } = body;
    const redirectURL = body.redirectURL ?? body.redirectUrl;
    const text = (key: string, value: unknown, required: boolean): string => {
      if (value !== undefined && value !== null && typeof value !== 'string') {
        errors[key] = fieldError('validation_invalid_value', 'Must be a string.');
      } else if (required && !value) {
        errors[key] = fieldError('validation_required', 'Cannot be blank.');
      }
      return typeof value === 'string' ? value : '';
    };
    const name = text('provider', provider, true);
    const form = {
      code: text('code', code, true),
      codeVerifier: text('codeVerifier', codeVerifier, false),
      redirectURL: text('redirectURL', redirectURL, false),
      createData: isObj(createData) ? createData : {},
    };
    if (createData !== undefined && createData !== null && !isObj(createData)) {
      errors.createData = fieldError('validation_invalid_value', 'Must be an object.');
    }
    const resolved = name ? this.providers.resolve(c, name) : null;
    if (name && !resolved) {
      errors.provider = fieldError(
        'validation_invalid_provider',
        `Provider with name ${JSON.stringify(name)} is missing or is not enabled.`,
      );
    }
    if (Object.keys(errors).length > 0 || !resolved) {
      throw new ValidationFailed(errors, 'An error occurred while validating the submitted data.');
    }
    return { ...form, provider: resolved };
  }
}
