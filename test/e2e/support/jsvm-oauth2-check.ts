// The OAuth2 sign-in hook of support/jsvm-split-files.ts (onRecordAuthWithOAuth2Request on `users`), checked through
// the HTTP API against an OAuth2 provider this test starts: standalone (hooks-jsvm-split) and the distributed set's
// auth service (test/distributed/hooks.e2e-spec.ts).
import assert from 'node:assert/strict';

import { HttpClient } from '@lib/testing';

import { OAuth2Mock, REDIRECT_URL } from './oauth2-mock';

type Answer = { record: { id: string; email: string; name: string }; meta: { isNew: boolean } };

/**
 * The hook refuses a provider user by its email (with the provider's name and display name, before any account is
 * written) and gives a new account the name it chooses.
 */
export async function oauth2HookCheck(baseUrl: string, su: string): Promise<void> {
  const http = new HttpClient(baseUrl);
  const oauth = await OAuth2Mock.start();
  try {
    const provider = oauth.provider('oidc');
    const patched = await http.request('PATCH', '/api/collections/users', {
      body: { oauth2: { enabled: true, providers: [provider] } },
      token: su,
    });
    assert.equal(patched.status, 200, patched.text);
    const suffix = Math.random().toString(36).slice(2, 10);
    const signIn = async (email: string) => {
      const profile = { sub: `sub-${email}`, email, email_verified: true, name: `Ada ${suffix}` };
      const { code, codeVerifier } = await oauth.authorize(profile);
      const body = { provider: 'oidc', code, codeVerifier, redirectURL: REDIRECT_URL };
      return http.request('POST', '/api/collections/users/auth-with-oauth2', { body });
    };
    const blockedEmail = `blocked_${suffix}@example.com`;
    const blocked = await signIn(blockedEmail);
    assert.equal(blocked.status, 403, blocked.text);
    assert.equal(
      blocked.json<{ message: string }>().message,
      `No oidc sign-in for ${blockedEmail} (new true, OpenID Connect).`,
    );
    const filter = encodeURIComponent(`email = "${blockedEmail}"`);
    const none = await http.request('GET', `/api/collections/users/records?filter=${filter}`, { token: su });
    assert.equal(none.json<{ totalItems: number }>().totalItems, 0, 'no account made for a refused sign-in');
    const made = await signIn(`fresh_${suffix}@example.com`);
    assert.equal(made.status, 200, made.text);
    const answer = made.json<Answer>();
    assert.deepEqual(
      [answer.record.email, answer.record.name, answer.meta.isNew],
      [`fresh_${suffix}@example.com`, `hook made Ada ${suffix}`, true],
    );
  } finally {
    await oauth.stop();
  }
}
