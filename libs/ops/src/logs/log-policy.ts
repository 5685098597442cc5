import { Injectable } from '@nestjs/common';
import { SettingsService, StoreSync } from '@lib/records';

/** The `logs` settings as the writer applies them. */
export interface LogPolicy {
  /** `logs.maxDays` > 0: entries are kept (0 turns logging off, as in PocketBase). */
  enabled: boolean;
  maxDays: number;
  minLevel: number;
  logIP: boolean;
  logAuthId: boolean;
  /** `trustedProxy`: headers holding the client address (lower-cased), and which end of a list to take. */
  proxyHeaders: string[];
  useLeftmostIP: boolean;
}

export const DEFAULT_LOG_POLICY: LogPolicy = Object.freeze({
  enabled: true,
  maxDays: 5,
  minLevel: 0,
  logIP: true,
  logAuthId: false,
  proxyHeaders: [],
  useLeftmostIP: false,
});

/** Where the writer reads the policy from: the settings here, or the records service for a process without them. */
export abstract class LogPolicySource {
  abstract read(): Promise<LogPolicy>;

  /** Calls `listener` when the policy may have changed in this process (a settings save). */
  onChange?(listener: () => void): void;
}

/**
 * How often the policy read brings this process's settings up to date (it is read every 200 ms), or asks the records
 * service for it (a process without settings).
 */
export const FRESH_EVERY_MS = 2000;

/**
 * The policy from this process's settings (`logs.*` and `trustedProxy`), brought up to date every few seconds: a
 * process that serves no request (one running queued jobs) would otherwise keep another's old `logs` settings.
 */
@Injectable()
export class SettingsLogPolicySource extends LogPolicySource {
  private checked = 0;

  constructor(
    private readonly settings: SettingsService,
    private readonly freshness: StoreSync,
  ) {
    super();
  }

  override onChange(listener: () => void): void {
    this.settings.onSaved(listener);
  }

  async read(): Promise<LogPolicy> {
    if (performance.now() - this.checked >= FRESH_EVERY_MS) {
      this.checked = performance.now();
      await this.freshness.ensureFresh();
    }
    const settings = await this.settings.get();
    const logs = (settings.logs ?? {}) as Partial<Record<keyof LogPolicy, unknown>>;
    const proxy = (settings.trustedProxy ?? {}) as { headers?: unknown; useLeftmostIP?: unknown };
    const maxDays = Number(logs.maxDays ?? 5);
    return {
      enabled: maxDays > 0,
      maxDays,
      minLevel: Number(logs.minLevel ?? 0),
      logIP: logs.logIP !== false,
      logAuthId: logs.logAuthId === true,
      proxyHeaders: Array.isArray(proxy.headers) ? proxy.headers.map((h) => String(h).toLowerCase()) : [],
      useLeftmostIP: proxy.useLeftmostIP === true,
    };
  }
}
