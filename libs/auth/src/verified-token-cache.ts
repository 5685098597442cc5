import type { RequestAuth } from '@lib/core';

/** Entries kept before the oldest is dropped. */
const MAX_ENTRIES = 1000;

interface Entry {
  auth: RequestAuth;
  /** The token's `exp` claim, in seconds. */
  exp: number;
}

/**
 * `Authorization` headers already resolved to their auth record, valid while nothing they were verified
 * against changed: every entry belongs to one change mark (`StoreSync.changeMark()`), and a write of an auth
 * record, a collection or the settings, a rollback or any other process's commit gives a new mark that
 * empties the cache (writes of other records don't). So a changed `tokenKey`, password, secret, record or
 * collection is seen at the next request, as without the cache. Expiry is checked on every hit.
 */
export class VerifiedTokenCache {
  private mark: string | null = null;
  private readonly entries = new Map<string, Entry>();

  /** The auth of a header verified under this mark, if it has not expired. */
  get(header: string, mark: string, nowSeconds: number): RequestAuth | undefined {
    if (mark !== this.mark) {
      this.mark = mark;
      this.entries.clear();
      return undefined;
    }
    const entry = this.entries.get(header);
    return entry && entry.exp > nowSeconds ? entry.auth : undefined;
  }

  /** Keeps a header's auth, verified from data read under `mark` (ignored if the mark has moved on). */
  set(header: string, mark: string, auth: RequestAuth, exp: number): void {
    if (mark !== this.mark) {
      return;
    }
    if (this.entries.size >= MAX_ENTRIES) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(header, { auth: freeze(auth), exp });
  }
}

/** Shared by every request presenting the token: nobody may change it. */
function freeze(auth: RequestAuth): RequestAuth {
  Object.freeze(auth.record);
  return Object.freeze(auth);
}
