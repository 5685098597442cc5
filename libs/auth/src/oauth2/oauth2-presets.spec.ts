import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OAUTH2_PROVIDER_NAMES } from '@lib/schema';
import { OAUTH2_PRESETS } from './oauth2-presets';

void describe('OAuth2 presets', () => {
  void it("are the provider names the collection options accept, in PocketBase's order", () => {
    assert.deepEqual(
      OAUTH2_PRESETS.map((p) => p.name),
      [...OAUTH2_PROVIDER_NAMES],
    );
  });

  void it('each has a display name, an SVG logo, https endpoints or none (taken from the config)', () => {
    for (const p of OAUTH2_PRESETS) {
      assert.ok(p.displayName, p.name);
      assert.match(p.logo, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>$/, p.name);
      for (const url of [p.authURL, p.tokenURL, p.userInfoURL]) {
        assert.ok(url === '' || url.startsWith('https://'), `${p.name}: ${url}`);
      }
      const configured = p.authURL === '' && p.tokenURL === '';
      assert.ok(configured || p.userInfoURL !== '' || p.idToken?.when === 'always', `${p.name} has a user source`);
    }
  });
});
