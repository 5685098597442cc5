/** Where the records table keeps the columns a user hid, per collection (browser localStorage). */
export const columnsKey = (collectionId: string) => `nb:hidden-columns:${collectionId}`;

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The hidden column names stored for a collection ([] when none or unreadable). */
export function readHiddenColumns(store: KeyValueStore, collectionId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(store.getItem(columnsKey(collectionId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

export function writeHiddenColumns(store: KeyValueStore, collectionId: string, hidden: readonly string[]): void {
  if (hidden.length === 0) {
    store.removeItem(columnsKey(collectionId));
  } else {
    store.setItem(columnsKey(collectionId), JSON.stringify([...hidden]));
  }
}

/** Toggles one column; the last visible column stays (a table needs one). */
export function toggleColumn(hidden: readonly string[], all: readonly string[], name: string): string[] {
  if (hidden.includes(name)) {
    return hidden.filter((n) => n !== name);
  }
  const visible = all.filter((n) => !hidden.includes(n));
  return visible.length <= 1 ? [...hidden] : [...hidden, name];
}
