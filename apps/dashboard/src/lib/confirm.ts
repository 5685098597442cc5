import { ref } from 'vue';

export interface PendingConfirm {
  message: string;
  yes: string;
  resolve: (ok: boolean) => void;
}

export const pendingConfirm = ref<PendingConfirm | null>(null);

/** Asks the user to confirm a destructive action in an alert dialog; resolves with the answer. */
export function confirmAction(message: string, yes = 'Yes, delete'): Promise<boolean> {
  return new Promise((resolve) => {
    pendingConfirm.value = { message, yes, resolve };
  });
}

/** Asks before a panel with unsaved changes is closed. */
export function confirmDiscard(): Promise<boolean> {
  return confirmAction('You have unsaved changes. Do you really want to close the panel?', 'Yes, discard');
}
