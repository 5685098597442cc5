/** The tabs of the collection editor. */
export type CollectionTab = 'fields' | 'rules' | 'options';

/** The tab holding the inputs a save's field errors name (rules first, then fields, then auth options). */
export function tabForErrors(keys: readonly string[]): CollectionTab | null {
  if (keys.some((k) => /Rule$/.test(k))) {
    return 'rules';
  }
  if (keys.some((k) => k.startsWith('fields') || k === 'viewQuery' || k.startsWith('indexes'))) {
    return 'fields';
  }
  if (keys.some((k) => /^(oauth2|otp|mfa|passwordAuth|\w+Token|\w+Template)\b/.test(k))) {
    return 'options';
  }
  return null;
}
