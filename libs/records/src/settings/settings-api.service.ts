import { Inject, Injectable, Optional } from '@nestjs/common';
import { fireHook, HookPoints } from '@lib/core';
import { SettingsService } from './settings.service';
import type { Settings } from './settings.defaults';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `GET` / `PATCH /api/settings` through the settings hooks: `onSettingsListRequest` (`e.settings`, changeable),
 * `onSettingsUpdateRequest` (`e.oldSettings`, `e.newSettings`: what the handlers change in it is saved), then
 * `onSettingsReload` once the new settings are in use.
 */
@Injectable()
export class SettingsApiService {
  constructor(
    private readonly settings: SettingsService,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  async view(): Promise<Settings> {
    const event = { settings: await this.settings.view() };
    return fireHook(this.hooks, 'onSettingsListRequest', event, async (e) => e.settings);
  }

  async update(patch: unknown): Promise<Settings> {
    if (!this.hooks?.has('onSettingsUpdateRequest') && !this.hooks?.has('onSettingsReload')) {
      return this.settings.update(patch);
    }
    const oldSettings = await this.settings.view();
    const newSettings = merged(oldSettings, patch);
    const start = structuredClone(newSettings);
    const saved = await fireHook(this.hooks, 'onSettingsUpdateRequest', { oldSettings, newSettings }, (e) =>
      this.settings.update(withChanges(patch, start, e.newSettings)),
    );
    return fireHook(this.hooks, 'onSettingsReload', { settings: saved }, async (e) => e.settings);
  }
}

/** The settings as the patch would leave them (group by group), for the hooks to read and change. */
function merged(base: Settings, patch: unknown): Settings {
  const out = structuredClone(base) as Obj;
  if (isObj(patch)) {
    for (const [group, value] of Object.entries(patch)) {
      out[group] = isObj(value) && isObj(out[group]) ? { ...out[group], ...value } : value;
    }
  }
  return out as Settings;
}

/** The patch plus the keys the hooks changed (key by key inside a group, so untouched secrets stay out). */
function withChanges(patch: unknown, before: Settings, after: Settings): unknown {
  if (!isObj(patch)) {
    return patch;
  }
  const out: Obj = { ...patch };
  for (const [group, value] of Object.entries(after as Obj)) {
    const was = (before as Obj)[group];
    if (JSON.stringify(was) === JSON.stringify(value)) {
      continue;
    }
    if (isObj(value) && isObj(was)) {
      const keys = Object.keys(value).filter((k) => JSON.stringify(value[k]) !== JSON.stringify(was[k]));
      out[group] = { ...(isObj(out[group]) ? out[group] : {}), ...Object.fromEntries(keys.map((k) => [k, value[k]])) };
    } else {
      out[group] = value;
    }
  }
  return out;
}
