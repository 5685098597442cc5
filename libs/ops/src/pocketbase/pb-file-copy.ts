import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ImportProgress } from './pb-record-copy';

export interface CopiedFiles {
  files: number;
  bytes: number;
  /** PocketBase's `.attrs` sidecars (blob metadata nestbase doesn't read). */
  attrs: number;
}

async function walk(dir: string, base = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, base), { withFileTypes: true })) {
    const rel = path.join(base, entry.name);
    if (entry.isDirectory()) {
      out.push(...(await walk(dir, rel)));
    } else if (entry.isFile()) {
      out.push(rel);
    }
  }
  return out;
}

/**
 * Copies PocketBase's local file storage (`<pb_data>/storage`, `<collectionId>/<recordId>/<name>` and its
 * `thumbs_<name>/` caches: nestbase's layout too) into `to`. Copies, not links: the source stays untouched.
 */
export async function copyStorage(from: string, to: string, progress: ImportProgress): Promise<CopiedFiles> {
  const result: CopiedFiles = { files: 0, bytes: 0, attrs: 0 };
  let all: string[];
  try {
    all = await walk(from);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return result;
    }
    throw error;
  }
  const files = all.filter((f) => !f.endsWith('.attrs'));
  result.attrs = all.length - files.length;
  const made = new Set<string>();
  progress('files', 0, files.length);
  for (const [i, rel] of files.entries()) {
    const dir = path.dirname(path.join(to, rel));
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await copyFile(path.join(from, rel), path.join(to, rel));
    result.files++;
    result.bytes += (await stat(path.join(to, rel))).size;
    if (i % 100 === 99) {
      progress('files', i + 1, files.length);
    }
  }
  progress('files', files.length, files.length);
  return result;
}
