import { Injectable } from '@nestjs/common';

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Apple sends the user's name only once, with the redirect (`user` form field), never with the token or
 * id_token. The redirect keeps it here for a minute under the code; auth-with-oauth2 takes it (reference §2.4).
 * In-process: with several auth replicas, the redirect and the code exchange must reach the same one to keep it.
 */
@Injectable()
export class AppleNameCache {
  private readonly names = new Map<string, { name: string; until: number }>();

  /** Reads `{"name":{"firstName","lastName"}}` and keeps the full name; anything malformed is ignored. */
  remember(code: string, userJson: string): void {
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
    if (!name) {
      return;
    }
    this.sweep();
    this.names.set(code, { name, until: Date.now() + TTL_MS });
  }

  /** The name kept for `code` (once), or ''. */
  take(code: string): string {
    const hit = this.names.get(code);
    this.names.delete(code);
    return hit && hit.until > Date.now() ? hit.name : '';
  }

  private sweep(): void {
    const now = Date.now();
    for (const [code, entry] of this.names) {
      if (entry.until <= now) {
        this.names.delete(code);
      }
    }
    if (this.names.size >= MAX_ENTRIES) {
      this.names.delete(this.names.keys().next().value!);
    }
  }
}
