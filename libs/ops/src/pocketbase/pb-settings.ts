type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What nestbase keeps of PocketBase's settings, and a line for each part it leaves behind. */
export interface SettingsPlan {
  /** The settings groups to apply, one `SettingsService.update` each (a group that fails is reported). */
  groups: Obj;
  skipped: string[];
}

/**
 * PocketBase's `_params` `settings` value as nestbase settings. `template` is nestbase's default settings:
 * a key it doesn't have is skipped with a report line (nestbase would not act on it).
 */
export function planSettings(raw: unknown, template: Obj): SettingsPlan {
  const skipped: string[] = [];
  if (raw === null || raw === undefined) {
    return { groups: {}, skipped: ['settings: none stored (PocketBase defaults), nestbase defaults kept'] };
  }
  let value: unknown;
  try {
    value = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    value = undefined;
  }
  if (!isObj(value)) {
    return {
      groups: {},
      skipped: [
        'settings: stored encrypted (PocketBase ran with --encryptionEnv); nestbase defaults kept, set them again in the dashboard',
      ],
    };
  }
  const groups: Obj = {};
  for (const [key, given] of Object.entries(value)) {
    if (!Object.hasOwn(template, key)) {
      skipped.push(`settings.${key}: not a nestbase setting`);
      continue;
    }
    groups[key] =
      isObj(given) && isObj(template[key]) ? known(given, template[key], `settings.${key}`, skipped) : given;
  }
  return { groups, skipped };
}

function known(value: Obj, template: Obj, where: string, skipped: string[]): Obj {
  const out: Obj = {};
  for (const [key, item] of Object.entries(value)) {
    if (!Object.hasOwn(template, key)) {
      skipped.push(`${where}.${key}: not a nestbase setting`);
      continue;
    }
    const inner = template[key];
    out[key] = isObj(item) && isObj(inner) ? known(item, inner, `${where}.${key}`, skipped) : item;
  }
  return out;
}
