import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type * as Yauzl from 'yauzl';
import { BadRequestError } from '@lib/core';

/** Bounds of an archive restore accepts. */
export interface ExtractLimits {
  /** Uncompressed bytes per archive byte at most (a zip bomb declares far more). */
  maxRatio: number;
  /** Uncompressed bytes allowed whatever the ratio (small archives of compressible databases). */
  minAllowance: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: ExtractLimits = { maxRatio: 200, minAllowance: 64 * 1024 * 1024, maxEntries: 1_000_000 };

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const invalid = (reason: string) => new BadRequestError(`Invalid backup archive: ${reason}.`);

/** The layout of a nestbase backup: `data.db` (required), `auxiliary.db`, and the local files under `storage/`. */
function checkName(name: string): void {
  if (name === 'data.db' || name === 'auxiliary.db' || name === 'storage/') {
    return;
  }
  if (!name.startsWith('storage/') || name.split('/').some((part) => part === '..' || part === '.')) {
    throw invalid(`unexpected entry "${name.slice(0, 200)}"`);
  }
}

function open(file: string): Promise<Yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // Loaded at first use: a server that never restores a backup keeps its memory.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('yauzl') as typeof Yauzl).open(
      file,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: true },
      (error, zip) => (error || !zip ? reject(invalid(error?.message ?? 'unreadable')) : resolve(zip)),
    );
  });
}

/**
 * Checks an archive and, when `into` is given, extracts it there. Everything is checked before anything is
 * written: entry names (no absolute paths, no `..`, only the known layout), no symlinks, no encryption, the
 * declared sizes against the archive's own (a zip bomb), and while extracting the actual sizes against the
 * declared ones (yauzl). Any problem is a 400.
 */
export async function inspectArchive(file: string, into?: string, limits = DEFAULT_LIMITS): Promise<void> {
  const archiveSize = (await stat(file)).size;
  const allowance = Math.max(limits.minAllowance, archiveSize * limits.maxRatio);
  const entries = await listEntries(file, limits.maxEntries);
  let total = 0;
  for (const entry of entries) {
    checkName(entry.fileName);
    if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      throw invalid(`"${entry.fileName}" is a symbolic link`);
    }
    if (entry.isEncrypted()) {
      throw invalid(`"${entry.fileName}" is encrypted`);
    }
    total += entry.uncompressedSize;
    if (total > allowance) {
      throw invalid('its content is far larger than the archive (zip bomb)');
    }
  }
  if (!entries.some((entry) => entry.fileName === 'data.db')) {
    throw invalid('data.db is missing');
  }
  if (into) {
    await extract(file, into);
  }
}

async function listEntries(file: string, max: number): Promise<Yauzl.Entry[]> {
  const zip = await open(file);
  return new Promise((resolve, reject) => {
    const entries: Yauzl.Entry[] = [];
    zip.on('entry', (entry: Yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > max) {
        zip.close();
        reject(invalid('too many entries'));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => reject(invalid(error.message)));
    zip.readEntry();
  });
}

async function extract(file: string, into: string): Promise<void> {
  const zip = await open(file);
  const root = path.resolve(into);
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error instanceof BadRequestError ? error : invalid((error as Error).message));
    };
    zip.on('entry', (entry: Yauzl.Entry) => {
      const target = path.resolve(root, entry.fileName);
      if (target !== root && !target.startsWith(root + path.sep)) {
        fail(invalid(`"${entry.fileName}" leaves the data directory`));
        return;
      }
      if (entry.fileName.endsWith('/')) {
        mkdir(target, { recursive: true }).then(() => zip.readEntry(), fail);
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) {
          fail(error ?? new Error('unreadable entry'));
          return;
        }
        mkdir(path.dirname(target), { recursive: true })
          .then(() => pipeline(stream, createWriteStream(target, { flags: 'wx' })))
          .then(() => zip.readEntry(), fail);
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', fail);
    zip.readEntry();
  });
}
