import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rmdir } from 'node:fs/promises';
import * as path from 'node:path';
import { randomString } from '@lib/core';
import { swapDataDir } from '../backups/data-dir-swap';

/** The target data dir holds data and the import wasn't told to replace it. */
export class ImportTargetError extends Error {}

/** Refuses a target that exists with something in it, unless `replace`. */
export function checkTarget(dir: string, replace: boolean): void {
  if (!existsSync(dir)) {
    return;
  }
  const entries = readdirSync(dir);
  if (entries.length > 0 && !replace) {
    throw new ImportTargetError(
      `${dir} is not empty (${entries.slice(0, 3).join(', ')}…): pass --replace to replace it`,
    );
  }
}

/** A fresh staging dir beside the target (same filesystem, so the final move is a rename). */
export async function makeStaging(dir: string): Promise<string> {
  const staging = path.join(path.dirname(dir), `.${path.basename(dir)}.import-${randomString(8)}`);
  await mkdir(staging, { recursive: true });
  return staging;
}

/**
 * Puts the finished staging dir in place: renamed to the target when there is none or it is empty, else swapped
 * in entry by entry with the old content restored if a move fails (`swapDataDir`; `backups/` stays).
 */
export async function placeStaging(dir: string, staging: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length === 0) {
    await rmdir(dir);
  }
  if (!existsSync(dir)) {
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(staging, dir);
    return;
  }
  await swapDataDir(dir, staging);
}
