import { reactive } from 'vue';

export interface Toast {
  id: number;
  kind: 'success' | 'error';
  text: string;
}

let next = 1;
export const toasts = reactive<Toast[]>([]);

/** Shows a short message in the corner (role=status), gone after a few seconds. */
export function toast(text: string, kind: Toast['kind'] = 'success'): void {
  const id = next++;
  toasts.push({ id, kind, text });
  window.setTimeout(() => {
    const at = toasts.findIndex((t) => t.id === id);
    if (at !== -1) {
      toasts.splice(at, 1);
    }
  }, 4000);
}
