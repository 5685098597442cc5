import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { LocalSharedStore, SharedStore } from '@lib/events';

const TTL_MS = 60_000;

/**
 * Apple sends the user's name only once, with the redirect (`user` form field), never with the token or
 * id_token. The redirect keeps it for a minute under the code; auth-with-oauth2 takes it (reference §2.4). Kept in
 * the SharedStore (Redis when configured), so the redirect and the code exchange may reach different processes.
 */
@Injectable()
export class AppleNameCache {
  private readonly store: SharedStore;

  constructor(@Optional() @Inject(SharedStore) store: SharedStore | null = null) {
    this.store = store ?? new LocalSharedStore();
  }

  /** Reads `{"name":{"firstName","lastName"}}` and keeps the full name; anything malformed is ignored. */
  async remember(code: string, userJson: string): Promise<void> {
    if (!code || code.length > 1000 || !userJson) {
      return;
    }
    let name: string;
    try {
      const parsed = JSON.parse(userJson) as { name?: { firstName?: unknown; lastName?: unknown } };
      const part = (v: unknown) => (typeof v === 'string' ? v : '');
      name = `${part(parsed.name?.firstName)} ${part(parsed.name?.lastName)}`.slice(0, 150).trim();
    } catch {
      return;
    }
    if (name) {
      await this.store.put(key(code), name, TTL_MS);
    }
  }

  /** The name kept for `code` (once), or ''. */
  async take(code: string): Promise<string> {
    return (await this.store.take(key(code))) ?? '';
  }
}

/** The code itself is a credential: only its hash is stored. */
function key(code: string): string {
  return `apple-name:${createHash('sha256').update(code).digest('hex')}`;
}
