import { Injectable } from '@nestjs/common';
import { createPrivateKey, sign } from 'node:crypto';
import { BadRequestError, fieldError, ValidationFailed, type FieldErrors } from '@lib/core';

/** About six months: the longest an Apple client secret may live. */
const MAX_DURATION_SEC = 15_777_000;
const PRIVATE_KEY = /-----BEGIN PRIVATE KEY----[\s\S]+-----END PRIVATE KEY-----/m;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * `POST /api/settings/apple/generate-client-secret` (reference §2.9): Sign in with Apple takes, as the client
 * secret, a JWT signed with ES256 by the developer's private key: `iss` = team id, `sub` = client (service)
 * id, `aud` = Apple, `kid` = key id, valid for `duration` seconds.
 */
@Injectable()
export class AppleClientSecretService {
  generate(body: Record<string, unknown>): { secret: string } {
    const form = this.validate(body);
    let key;
    try {
      key = createPrivateKey(form.privateKey.trim());
    } catch (error) {
      throw new BadRequestError(`Failed to generate client secret. Raw error: \n${(error as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new BadRequestError('Failed to generate client secret. Raw error: \nthe key is not an ECDSA P-256 key');
    }
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', kid: form.keyId, typ: 'JWT' };
    const claims = {
      iss: form.teamId,
      sub: form.clientId,
      aud: ['https://appleid.apple.com'],
      exp: now + form.duration,
      iat: now,
    };
    const input = `${b64url(header)}.${b64url(claims)}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return { secret: `${input}.${signature.toString('base64url')}` };
  }

  private validate(body: Record<string, unknown>) {
    const errors: FieldErrors = {};
    const text = (name: string): string => {
      const value = body[name];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw new BadRequestError('An error occurred while loading the submitted data.');
      }
      if (!value) {
        errors[name] = fieldError('validation_required', 'Cannot be blank.');
      }
      return typeof value === 'string' ? value : '';
    };
    const exactly10 = (name: string, value: string) => {
      if (value && value.length !== 10) {
        errors[name] = fieldError('validation_length_invalid', 'The length must be exactly 10.');
      }
    };
    const form = {
      clientId: text('clientId'),
      teamId: text('teamId'),
      keyId: text('keyId'),
      privateKey: text('privateKey'),
      duration: 0,
    };
    exactly10('teamId', form.teamId);
    exactly10('keyId', form.keyId);
    if (form.privateKey && !PRIVATE_KEY.test(form.privateKey)) {
      errors.privateKey = fieldError('validation_match_invalid', 'Must be in a valid format.');
    }
    const duration = body.duration ?? 0;
    if (typeof duration !== 'number' || !Number.isInteger(duration)) {
      throw new BadRequestError('An error occurred while loading the submitted data.');
    }
    form.duration = duration;
    if (duration === 0) {
      errors.duration = fieldError('validation_required', 'Cannot be blank.');
    } else if (duration < 1) {
      errors.duration = fieldError('validation_min_greater_equal_than_required', 'Must be no less than 1.', {
        threshold: 1,
      });
    } else if (duration > MAX_DURATION_SEC) {
      errors.duration = fieldError(
        'validation_max_less_equal_than_required',
        `Must be no greater than ${MAX_DURATION_SEC}.`,
        { threshold: MAX_DURATION_SEC },
      );
    }
    if (Object.keys(errors).length > 0) {
      throw new ValidationFailed(errors, 'Invalid client secret data.');
    }
    return form;
  }
}
