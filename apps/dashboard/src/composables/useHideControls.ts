import { ref } from 'vue';
import { pb } from '../pb';

const hidden = ref(false);
let asked = false;

/** Records the application settings just read or saved (the settings page calls this). */
export function noteSettings(settings: { meta?: { hideControls?: unknown } }): void {
  hidden.value = settings.meta?.hideControls === true;
}

/**
 * `meta.hideControls`: when set, the dashboard hides the collection create and edit controls (PocketBase's
 * setting for production dashboards). Read once per session; the settings page keeps it current.
 */
export function useHideControls() {
  if (!asked) {
    asked = true;
    pb.settings
      .getAll()
      .then(noteSettings)
      .catch(() => undefined);
  }
  return hidden;
}
