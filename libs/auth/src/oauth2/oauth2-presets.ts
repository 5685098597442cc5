import type { OAuth2Preset } from './oauth2-preset';
import { DEV_PRESETS } from './presets/dev-presets';
import { IDENTITY_PRESETS } from './presets/identity-presets';
import { SOCIAL_PRESETS } from './presets/social-presets';
import { WORK_PRESETS } from './presets/work-presets';

export type { OAuth2Preset } from './oauth2-preset';

/**
 * Every provider nestbase knows (PocketBase's set), in PocketBase's order: by `order`, then by name.
 * `oidc`, `oidc2`, `oidc3` and `mailcow` take their URLs from the collection's config.
 */
export const OAUTH2_PRESETS: readonly OAuth2Preset[] = [
  ...IDENTITY_PRESETS,
  ...SOCIAL_PRESETS,
  ...DEV_PRESETS,
  ...WORK_PRESETS,
].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const BY_NAME = new Map(OAUTH2_PRESETS.map((p) => [p.name, p]));

export function findPreset(name: string): OAuth2Preset | undefined {
  return BY_NAME.get(name);
}
