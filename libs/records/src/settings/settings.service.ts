import { Injectable } from '@nestjs/common';
import { fieldError, nowString, ValidationFailed } from '@lib/core';
import { Database, type SqlExecutor } from '@lib/database';
import { rateLimitErrors } from './rate-limit-settings';
import { defaultSettings, SETTING_TYPES, type Settings } from './settings.defaults';
import { numberErrors } from './settings-numbers';
import { checkMeta, checkOperations, type SettingsCheck } from './settings-checks';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Application settings, stored as JSON in `_params` (id `settings`), cached in memory. */
@Injectable()
export class SettingsService {
  private cache: Settings | null = null;
  /** The stored row's `updated` when the cache was filled ('' for none): StoreSync compares it. */
  private stamp = '';
  private readonly checks: SettingsCheck[] = [checkMeta, checkOperations];
  private readonly savedListeners: (() => void)[] = [];

  constructor(private readonly database: Database) {}

  async get(): Promise<Settings> {
    if (!this.cache) {
      const rows = await this.database.query<{ value: string; updated: string }>(
        'SELECT "value", "updated" FROM "_params" WHERE "id" = ?',
        ['settings'],
      );
      const stored = rows[0] ? (JSON.parse(rows[0].value) as Settings) : {};
      this.cache = merge(defaultSettings(), stored);
      this.stamp = rows[0]?.updated ?? '';
    }
    return this.cache;
  }

  /** The cached settings without a database read (null until the first `get()` or after `invalidate()`). */
  cached(): Settings | null {
    return this.cache;
  }

  /** Adds a check of `PATCH /api/settings` bodies (field errors by group; empty when fine). */
  addCheck(check: SettingsCheck): void {
    this.checks.push(check);
  }

  /** Calls `listener` after each save in this process (others see a change on their next sync). */
  onSaved(listener: () => void): void {
    this.savedListeners.push(listener);
  }

  /** Drops the cached copy (another process changed the settings). */
  invalidate(): void {
    this.cache = null;
  }

  /** The stored row's `updated` the cache holds, or null when nothing is cached. */
  loadedStamp(): string | null {
    return this.cache ? this.stamp : null;
  }

  /** Settings as the API shows them: secrets blanked. */
  async view(): Promise<Settings> {
    return redact(await this.get());
  }

  /** `tx`: inside a transaction the caller holds (a migration), which calls `invalidate()` if it rolls back. */
  async update(patch: unknown, tx?: SqlExecutor): Promise<Settings> {
    if (!isObj(patch)) {
      throw new ValidationFailed({}, 'Failed to update settings.');
    }
    this.database.noteSensitiveWrite();
    const errors: Obj = {};
    for (const [group, keys] of Object.entries(SETTING_TYPES)) {
      const given = patch[group];
      if (given === undefined) {
        continue;
      }
      if (!isObj(given)) {
        errors[group] = fieldError('validation_invalid_value', 'Must be an object.');
        continue;
      }
      for (const [key, type] of Object.entries(keys)) {
        if (given[key] !== undefined && typeof given[key] !== type) {
          errors[group] = {
            ...(errors[group] as Obj),
            [key]: fieldError('validation_invalid_value', `Must be a ${type}.`),
          };
        }
      }
    }
    if (patch.rateLimits !== undefined) {
      const current = (await this.get()).rateLimits as Obj;
      const found = isObj(patch.rateLimits)
        ? rateLimitErrors({ ...current, ...patch.rateLimits })
        : fieldError('validation_invalid_value', 'Must be an object.');
      if (found) {
        errors.rateLimits = found;
      }
    }
    for (const [group, error] of Object.entries(numberErrors(patch, SETTING_TYPES))) {
      errors[group] = isObj(errors[group]) ? { ...(error as Obj), ...errors[group] } : (errors[group] ?? error);
    }
    for (const check of this.checks) {
      for (const [group, problem] of Object.entries(check(patch))) {
        errors[group] = isObj(errors[group]) && isObj(problem) ? { ...errors[group], ...problem } : problem;
      }
    }
    if (Object.keys(errors).length > 0) {
      throw new ValidationFailed(errors, 'An error occurred while submitting the form.');
    }
    const next = merge(await this.get(), patch as Settings);
    const now = nowString();
    const write = (db: SqlExecutor) =>
      db.run(
        'INSERT INTO "_params" ("id", "value", "created", "updated") VALUES (?, ?, ?, ?) ON CONFLICT ("id") DO UPDATE SET "value" = excluded."value", "updated" = excluded."updated"',
        ['settings', JSON.stringify(next), now, now],
      );
    await (tx ? write(tx) : this.database.transaction(write));
    this.cache = next;
    this.stamp = now;
    for (const listener of this.savedListeners) {
      listener();
    }
    return redact(next);
  }
}

/**
 * `patch` over `base`, group by group. Only the keys the defaults know are kept, at every level (PocketBase reads
 * settings into typed structs): `__proto__`, `constructor` or any other unknown key is dropped, never stored.
 */
function merge(base: Settings, patch: Settings): Settings {
  const template = defaultSettings() as Obj;
  const out: Settings = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (!Object.hasOwn(template, key)) {
      continue;
    }
    const group = template[key];
    out[key] =
      isObj(value) && isObj(base[key]) && isObj(group) ? { ...(base[key] as Obj), ...known(value, group) } : value;
  }
  return out;
}

/** `value` with only the keys `template` has, recursively through plain objects. */
function known(value: Obj, template: Obj): Obj {
  const out: Obj = {};
  for (const [key, item] of Object.entries(value)) {
    if (Object.hasOwn(template, key)) {
      const inner = template[key];
      out[key] = isObj(item) && isObj(inner) ? known(item, inner) : item;
    }
  }
  return out;
}

function redact(settings: Settings): Settings {
  const out: Settings = { ...settings };
  out.smtp = { ...(settings.smtp as Obj), password: '' };
  out.s3 = { ...(settings.s3 as Obj), secret: '' };
  const backups = settings.backups as Obj;
  out.backups = { ...backups, s3: { ...(backups.s3 as Obj), secret: '' } };
  return out;
}
