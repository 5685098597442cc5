import PocketBase, { isTokenExpired, LocalAuthStore } from 'pocketbase';

/** The one SDK client of the dashboard: every API call goes through it. */
const origin = typeof window === 'undefined' ? 'http://127.0.0.1' : window.location.origin;
export const pb = new PocketBase(origin, new LocalAuthStore('__nb_superuser_auth__'));
pb.autoCancellation(false);

export function isSuperuserSignedIn(): boolean {
  return pb.authStore.isValid && pb.authStore.record?.collectionName === '_superusers';
}

let onUnauthorized: (() => void) | null = null;

/** Called with any 401 of a signed-in request: the app sends the user to sign-in with the return path. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

pb.afterSend = (response, data) => {
  if (response.status === 401 && pb.authStore.token) {
    pb.authStore.clear();
    onUnauthorized?.();
  }
  return data;
};

/** Refreshes the session token shortly before it expires (checked every minute while signed in). */
export function startSilentRefresh(): void {
  window.setInterval(() => {
    const token = pb.authStore.token;
    if (token && isSuperuserSignedIn() && isTokenExpired(token, 10 * 60)) {
      pb.collection('_superusers')
        .authRefresh()
        .catch(() => undefined);
    }
  }, 60_000);
}

/** A client without the superuser session: the installer and the confirm pages of mail links. */
export function publicClient(): PocketBase {
  const client = new PocketBase(origin);
  client.autoCancellation(false);
  return client;
}
