/** The fields a records table can show: every field but credentials. */
export function tableFields<F extends { name: string; type: string }>(collection: { fields: F[] }): F[] {
  return collection.fields.filter((f) => f.type !== 'password' && f.name !== 'tokenKey');
}

/** A short text for a record value in a table cell. */
export function cellText(value: unknown, type: string): string {
  if (value === null || value === undefined || value === '') {
    return 'N/A';
  }
  if (type === 'bool') {
    return value ? 'True' : 'False';
  }
  if (type === 'editor' && typeof value === 'string') {
    return (
      value
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 80) || 'N/A'
    );
  }
  if (type === 'geoPoint' && typeof value === 'object') {
    const p = value as { lat?: number; lon?: number };
    return `${p.lat ?? 0}, ${p.lon ?? 0}`;
  }
  if (Array.isArray(value)) {
    return value.length ? value.join(', ') : 'N/A';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value).slice(0, 80);
  }
  const text = String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The next sort for a click on a column header: ascending, descending, then back to ascending. */
export function nextSort(current: string, column: string): string {
  if (current === column) {
    return `-${column}`;
  }
  return column;
}

/** aria-sort of a column for the current sort expression. */
export function ariaSort(current: string, column: string): 'ascending' | 'descending' | 'none' {
  if (current === column || current === `+${column}`) {
    return 'ascending';
  }
  return current === `-${column}` ? 'descending' : 'none';
}

/** A byte count for people: `512 B`, `1.5 KB`, `3.2 MB`, `1.1 GB`. */
export function fileSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
