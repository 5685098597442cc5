import { describe, expect, it } from 'vitest';
import { tabForErrors } from './collection-tabs';

describe('collection editor tabs', () => {
  it('opens the tab of the inputs a save error names', () => {
    expect(tabForErrors(['name', 'listRule'])).toBe('rules');
    expect(tabForErrors(['fields.2.name'])).toBe('fields');
    expect(tabForErrors(['viewQuery'])).toBe('fields');
    expect(tabForErrors(['indexes.0'])).toBe('fields');
    expect(tabForErrors(['authToken.duration'])).toBe('options');
    expect(tabForErrors(['verificationTemplate.body'])).toBe('options');
    expect(tabForErrors(['oauth2.providers.0.clientId'])).toBe('options');
    expect(tabForErrors(['name'])).toBeNull();
  });
});
