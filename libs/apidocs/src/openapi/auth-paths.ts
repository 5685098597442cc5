import type { CollectionModel } from '@lib/schema';
import type { JsonSchema } from './field-schemas';
import { errors, int, jsonBody, object, ok, paramRef, ref, str, type Operation, type PathItem } from './openapi-common';
import { ruleText, schemaName } from './record-paths';

type Obj = Record<string, unknown>;
const enabled = (collection: CollectionModel, option: string): boolean =>
  (collection[option] as Obj | undefined)?.enabled === true;

/** The auth answer of one auth collection: `{token, record, meta?}`. */
export function authResponseComponent(collection: CollectionModel): Record<string, JsonSchema> {
  return {
    [schemaName(collection, 'AuthResponse')]: object(
      {
        token: str,
        record: ref(schemaName(collection, 'Record')),
        meta: { type: 'object', description: 'OAuth2 only: the provider data.', additionalProperties: true },
      },
      ['token', 'record'],
    ),
  };
}

/** The auth routes of one auth collection (reference §2.2), each noting whether its method is enabled. */
export function authPaths(collection: CollectionModel): Record<string, PathItem> {
  const name = collection.name;
  const base = `/api/collections/${name}`;
  const auth = ok('Authenticated.', ref(schemaName(collection, 'AuthResponse')));
  const mfa = {
    '401': {
      description: 'Another factor is needed (MFA): the body is `{"mfaId": "…"}`; or missing authentication.',
    },
  };
  const gate = ruleText('authRule', collection.authRule);
  const state = (option: string, label: string) =>
    enabled(collection, option)
      ? `${label} is enabled for \`${name}\`.`
      : `${label} is disabled for \`${name}\`: 403 until it is enabled in the collection options.`;
  const read = [paramRef('expand'), paramRef('fields')];
  const post = (
    id: string,
    summary: string,
    description: string,
    body: JsonSchema | null,
    responses: Obj,
    extra: Operation = {},
  ): PathItem => ({
    post: {
      tags: [name],
      operationId: `${id}_${name}`,
      summary,
      description,
      ...(body ? { requestBody: jsonBody(body) } : {}),
      ...extra,
      responses,
    },
  });
  const noContent = ok('Done (also when nothing was sent: nothing is revealed).', null, '204');
  const emailBody = object({ email: { type: 'string', format: 'email' } }, ['email']);
  return {
    [`${base}/auth-methods`]: {
      get: {
        tags: [name],
        operationId: `authMethods_${name}`,
        summary: `Auth methods of ${name}`,
        description: 'The enabled methods: password (identity fields), OAuth2 providers with PKCE values, MFA, OTP.',
        parameters: [paramRef('fields')],
        responses: { ...ok('The methods.', { type: 'object', additionalProperties: true }), ...errors(404) },
      },
    },
    [`${base}/auth-with-password`]: post(
      'authWithPassword',
      `Sign in to ${name} with a password`,
      [state('passwordAuth', 'Password auth'), gate, 'Wrong credentials answer 400.'].join('\n\n'),
      object({ identity: str, password: str, identityField: str, mfaId: str }, ['identity', 'password']),
      { ...auth, ...mfa, ...errors(400, 403, 429) },
      { parameters: read },
    ),
    [`${base}/auth-refresh`]: post(
      'authRefresh',
      `Refresh a ${name} token`,
      `Needs a token of \`${name}\` (401 without, 403 for another collection's). ${gate}`,
      null,
      { ...auth, ...errors(401, 403) },
      { parameters: read, security: [{ pbAuth: [] }] },
    ),
    [`${base}/auth-with-oauth2`]: post(
      'authWithOAuth2',
      `Sign in to ${name} with OAuth2`,
      [state('oauth2', 'OAuth2'), 'A new record is created under the createRule.', gate].join('\n\n'),
      object(
        {
          provider: str,
          code: str,
          codeVerifier: str,
          redirectURL: str,
          createData: { type: 'object', additionalProperties: true },
          mfaId: str,
        },
        ['provider', 'code'],
      ),
      { ...auth, ...mfa, ...errors(400, 403) },
      { parameters: read },
    ),
    [`${base}/request-otp`]: post(
      'requestOTP',
      `Request a one-time password for ${name}`,
      state('otp', 'OTP'),
      emailBody,
      {
        ...ok('The OTP id (a random one for an unknown email).', object({ otpId: str }, ['otpId'])),
        ...errors(400, 403, 429),
      },
    ),
    [`${base}/auth-with-otp`]: post(
      'authWithOTP',
      `Sign in to ${name} with a one-time password`,
      [state('otp', 'OTP'), gate].join('\n\n'),
      object({ otpId: str, password: str, mfaId: str }, ['otpId', 'password']),
      { ...auth, ...mfa, ...errors(400, 403, 429) },
      { parameters: read },
    ),
    [`${base}/auth-anonymously`]: post(
      'authAnonymously',
      `Create an anonymous ${name} record and sign in`,
      state('anonymousAuth', 'Anonymous auth'),
      null,
      { ...auth, ...errors(400, 403, 429) },
      { parameters: read },
    ),
    [`${base}/request-password-reset`]: post(
      'requestPasswordReset',
      `Mail a ${name} password reset link`,
      'Answers 204 for unknown emails too.',
      emailBody,
      { ...noContent, ...errors(400) },
    ),
    [`${base}/confirm-password-reset`]: post(
      'confirmPasswordReset',
      `Set a new ${name} password with a reset token`,
      'Rotates the token key: earlier tokens stop working.',
      object({ token: str, password: str, passwordConfirm: str }, ['token', 'password', 'passwordConfirm']),
      { ...ok('Done.', null, '204'), ...errors(400) },
    ),
    [`${base}/request-verification`]: post(
      'requestVerification',
      `Mail a ${name} verification link`,
      'Answers 204 for unknown or verified emails too.',
      emailBody,
      { ...noContent, ...errors(400) },
    ),
    [`${base}/confirm-verification`]: post(
      'confirmVerification',
      `Verify a ${name} email with a verification token`,
      'Sets `verified`.',
      object({ token: str }, ['token']),
      { ...ok('Done.', null, '204'), ...errors(400) },
    ),
    [`${base}/request-email-change`]: post(
      'requestEmailChange',
      `Mail a ${name} email change link to the new address`,
      `Needs a token of \`${name}\`.`,
      object({ newEmail: { type: 'string', format: 'email' } }, ['newEmail']),
      { ...ok('Sent.', null, '204'), ...errors(400, 401, 403) },
      { security: [{ pbAuth: [] }] },
    ),
    [`${base}/confirm-email-change`]: post(
      'confirmEmailChange',
      `Change a ${name} email with a change token`,
      'Needs the current password.',
      object({ token: str, password: str }, ['token', 'password']),
      { ...ok('Done.', null, '204'), ...errors(400) },
    ),
    [`${base}/impersonate/{id}`]: post(
      'impersonate',
      `Get a token of any ${name} record (superusers)`,
      'The token is not refreshable. Superusers only.',
      object({ duration: { ...int, minimum: 0, description: 'Seconds (0: the collection default).' } }),
      { ...auth, ...errors(400, 401, 403, 404) },
      { parameters: [paramRef('recordId'), ...read], security: [{ pbAuth: [] }] },
    ),
  };
}
