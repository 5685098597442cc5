import { describe, expect, it } from 'vitest';
import { addablePresets, needsUrls, newProvider, setSecret, type OAuth2Preset } from './oauth2';

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
});
