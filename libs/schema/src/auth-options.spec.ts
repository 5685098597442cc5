import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectionModel } from './collection.model';
import { mergeAuthOptions } from './auth-options';
import { defaultAuthOptions } from './system-collections';

const stored = {
  ...defaultAuthOptions(),
  oauth2: {
    enabled: true,
    mappedFields: {},
    providers: [
      { name: 'github', clientId: 'gh-id', clientSecret: 'gh-secret' },
      { name: 'google', clientId: 'g-id', clientSecret: 'g-secret' },
    ],
  },
} as unknown as CollectionModel;

const providersAfter = (providers: unknown[]) =>
  (mergeAuthOptions({ oauth2: { providers } }, stored, {}).oauth2 as { providers: unknown[] }).providers;

void describe('mergeAuthOptions: OAuth2 client secrets', () => {
  void it('keeps the stored secret of a provider saved back without one (responses never carry it)', () => {
    assert.deepEqual(providersAfter([{ name: 'github', clientId: 'gh-id-2' }]), [
      { name: 'github', clientId: 'gh-id-2', clientSecret: 'gh-secret' },
    ]);
  });

  void it('takes a new or emptied secret as given, and gives a new provider none', () => {
    assert.deepEqual(
      providersAfter([
        { name: 'github', clientId: 'gh-id', clientSecret: 'rotated' },
        { name: 'google', clientId: 'g-id', clientSecret: '' },
        { name: 'oidc', clientId: 'o-id' },
      ]),
      [
        { name: 'github', clientId: 'gh-id', clientSecret: 'rotated' },
        { name: 'google', clientId: 'g-id', clientSecret: '' },
        { name: 'oidc', clientId: 'o-id' },
      ],
    );
  });
});
