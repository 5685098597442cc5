/** The parts of the SDK's ClientResponseError the dashboard shows. */
export interface ApiFailure {
  status: number;
  message: string;
  /** Field path -> message, e.g. `fields.2.name` or `listRule`. */
  fields: Record<string, string>;
}

function flatten(data: unknown, prefix: string, out: Record<string, string>): void {
  if (!data || typeof data !== 'object') {
    return;
  }
  const entry = data as Record<string, unknown>;
  if (typeof entry.message === 'string' && typeof entry.code === 'string') {
    out[prefix] = entry.message;
    return;
  }
  for (const [key, value] of Object.entries(entry)) {
    flatten(value, prefix ? `${prefix}.${key}` : key, out);
  }
}

/** Reads an SDK error (or anything thrown) into a message plus per-field messages. */
export function readFailure(error: unknown): ApiFailure {
  const e = error as { status?: number; response?: { message?: string; data?: unknown }; message?: string };
  const fields: Record<string, string> = {};
  flatten(e?.response?.data, '', fields);
  const message = e?.response?.message || e?.message || 'Something went wrong.';
  return { status: e?.status ?? 0, message, fields };
}
