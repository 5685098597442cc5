import { ref } from 'vue';
import { pb } from '../pb';
import { readFailure } from '../lib/errors';

/** Polls the health check every 250 ms until it answers `healthy` (or `ms` pass). */
async function healthUntil(healthy: boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await pb.health
      .check()
      .then(() => true)
      .catch(() => false);
    if (ok === healthy) {
      return;
    }
    await new Promise((r) => window.setTimeout(r, 250));
  }
}

/** One entry of `GET /api/backups`. */
export interface BackupFileInfo {
  key: string;
  size: number;
  modified: string;
}

/** The backups list (newest first) and what a superuser does with one. */
export function useBackups() {
  const items = ref<BackupFileInfo[]>([]);
  const loading = ref(false);
  const error = ref('');

  async function load() {
    loading.value = true;
    try {
      const list = await pb.backups.getFullList();
      items.value = [...list].sort((a, b) => b.modified.localeCompare(a.modified));
      error.value = '';
    } catch (e) {
      error.value = readFailure(e).message;
    } finally {
      loading.value = false;
    }
  }

  /** Downloads through a short-lived superuser file token (the link carries no session header). */
  async function download(key: string) {
    const token = await pb.files.getToken();
    const link = document.createElement('a');
    link.href = pb.backups.getDownloadURL(token, key);
    link.download = key;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  /**
   * Restores, then reloads the page once the app has restarted on the restored data: the API answers the
   * restore before it swaps the data dir, so wait for the health check to fail (the app stopped; 5 s at most),
   * then for it to pass again (2 minutes at most).
   */
  async function restore(key: string) {
    await pb.backups.restore(key);
    await healthUntil(false, 5_000);
    await healthUntil(true, 120_000);
    window.location.reload();
  }

  void load();
  return { items, loading, error, load, download, restore };
}
