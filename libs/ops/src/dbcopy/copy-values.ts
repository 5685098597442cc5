import { createHash } from 'node:crypto';

/** How a column's values compare across the two databases (SQLite's storage classes vs PostgreSQL's types). */
export type ValueKind = 'text' | 'numeric' | 'boolean' | 'json';

export interface CopyColumn {
  name: string;
  kind: ValueKind;
}

const TRUE_VALUES = new Set<unknown>([true, 1, 1n, '1', 't', 'true']);

/**
 * A value as it is written to the target: booleans as 1/0 (both databases take them), numbers as numbers, JSON
 * as its text (PostgreSQL casts it to `jsonb` by the column), everything else as text.
 */
export function bindValue(kind: ValueKind, value: unknown): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (kind === 'boolean') {
    return TRUE_VALUES.has(value) ? 1 : 0;
  }
  const asText = Buffer.isBuffer(value)
    ? value.toString('utf8')
    : typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'bigint'
        ? String(value)
        : JSON.stringify(value);
  if (kind === 'numeric') {
    const n = typeof value === 'number' ? value : Number(asText);
    return Number.isNaN(n) ? asText : n;
  }
  return asText;
}

/** JSON with object keys sorted (jsonb reorders keys; the text's spacing is not part of the value). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The normalised value the checksums hash: the same from either database for the same stored value. */
export function normalValue(kind: ValueKind, value: unknown): unknown {
  const bound = bindValue(kind, value);
  if (kind === 'json' && typeof bound === 'string') {
    try {
      return `json:${canonicalJson(JSON.parse(bound))}`;
    } catch {
      return bound;
    }
  }
  return bound;
}

const MOD = 1n << 128n;

/**
 * A table's row count and checksum: the sum (mod 2^128) of each row's SHA-256 over its normalised values, so it
 * doesn't depend on the order rows are read in (the two databases order differently).
 */
export class TableChecksum {
  rows = 0;
  private sum = 0n;

  constructor(private readonly columns: readonly CopyColumn[]) {}

  add(row: Record<string, unknown>): void {
    const values = this.columns.map((c) => normalValue(c.kind, row[c.name]));
    const digest = createHash('sha256').update(JSON.stringify(values)).digest('hex');
    this.sum = (this.sum + BigInt(`0x${digest.slice(0, 32)}`)) % MOD;
    this.rows++;
  }

  get hex(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}
