import { ref } from 'vue';
import { pb } from '../pb';
import { readFailure } from '../lib/errors';

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

  /** Restores, then waits for the restarted app to answer its health check before reloading the page. */
  async function restore(key: string) {
    await pb.backups.restore(key);
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      await new Promise((r) => window.setTimeout(r, 500));
      const healthy = await pb.health
        .check()
        .then(() => true)
        .catch(() => false);
      if (healthy) {
        break;
      }
    }
    window.location.reload();
  }

  void load();
  return { items, loading, error, load, download, restore };
}
