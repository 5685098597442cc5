import { describe, expect, it } from 'vitest';
import {
  addablePresets,
  extraKeys,
  extraValue,
  needsUrls,
  newProvider,
  setExtra,
  setSecret,
  type OAuth2Preset,
} from './oauth2';

const github: OAuth2Preset = {
  name: 'github',
  displayName: 'GitHub',
  authURL: 'https://github.com/login/oauth/authorize',
  tokenURL: 'https://github.com/login/oauth/access_token',
  userInfoURL: 'https://api.github.com/user',
  pkce: true,
};
const oidc: OAuth2Preset = {
  name: 'oidc',
  displayName: 'OpenID Connect',
  authURL: '',
  tokenURL: '',
  userInfoURL: '',
  pkce: true,
};

describe('OAuth2 provider forms', () => {
  it('asks for the URLs only where the preset has none', () => {
    expect(needsUrls(github)).toBe(false);
    expect(needsUrls(oidc)).toBe(true);
    expect(needsUrls(undefined)).toBe(true);
    expect(needsUrls({ ...github, name: 'apple', userInfoURL: '' })).toBe(false);
  });

  it('offers the presets not configured yet', () => {
    expect(addablePresets([github, oidc], [{ name: 'oidc' }]).map((p) => p.name)).toEqual(['github']);
    expect(newProvider(github)).toMatchObject({ name: 'github', clientId: '', pkce: true });
  });

  it('leaves a blank secret out of a saved provider, so the stored one stays', () => {
    const saved = { name: 'github', clientId: 'x' };
    setSecret(saved, '', true);
    expect('clientSecret' in saved).toBe(false);
    setSecret(saved, 's3cret', true);
    expect(saved).toMatchObject({ clientSecret: 's3cret' });
    const fresh = newProvider(github);
    setSecret(fresh, '', false);
    expect(fresh.clientSecret).toBe('');
  });

  it("shows the provider's extra settings, then any other key the entry has", () => {
    expect(extraKeys({ name: 'oidc2', clientId: '' }).map(([k]) => k)).toEqual(['jwksURL', 'issuers']);
    expect(extraKeys({ name: 'microsoft', clientId: '' }).map(([k]) => k)).toEqual(['idTokenEmailClaim']);
    expect(extraKeys({ name: 'github', clientId: '', extra: { team: 'x' } })).toEqual([['team', 'extra: team']]);
  });

  it('reads and writes extra settings; blank removes one', () => {
    const entry = { name: 'oidc', clientId: '', extra: { issuers: ['https://a', 'https://b'] } };
    expect(extraValue(entry, 'issuers')).toBe('https://a https://b');
    setExtra(entry, 'jwksURL', ' https://id.example.com/jwks ');
    expect(entry.extra).toEqual({ issuers: ['https://a', 'https://b'], jwksURL: 'https://id.example.com/jwks' });
    setExtra(entry, 'issuers', '');
    expect(entry.extra).toEqual({ jwksURL: 'https://id.example.com/jwks' });
  });
});
