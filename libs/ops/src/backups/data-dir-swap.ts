import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { randomString } from '@lib/core';

/** Entries of the data directory a restore leaves alone. */
const KEPT = new Set(['backups', '.tmp']);

/**
 * Replaces the data directory's content (but `backups/` and `.tmp/`) with `staging`'s, by renames within the
 * one filesystem: the old content goes aside first and comes back if a move fails, then is removed. Runs while
 * the app is stopped, so nothing sees the data half swapped.
 */
export async function swapDataDir(dataDir: string, staging: string): Promise<void> {
  const aside = path.join(dataDir, '.tmp', `old_${randomString(8)}`);
  await mkdir(aside, { recursive: true });
  const current = (await readdir(dataDir)).filter((name) => !KEPT.has(name));
  const moved: string[] = [];
  const placed: string[] = [];
  try {
    for (const name of current) {
      await rename(path.join(dataDir, name), path.join(aside, name));
      moved.push(name);
    }
    for (const name of await readdir(staging)) {
      await rename(path.join(staging, name), path.join(dataDir, name));
      placed.push(name);
    }
  } catch (error) {
    for (const name of placed) {
      await rm(path.join(dataDir, name), { recursive: true, force: true });
    }
    for (const name of moved) {
      await rename(path.join(aside, name), path.join(dataDir, name));
    }
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
  await rm(staging, { recursive: true, force: true });
}
