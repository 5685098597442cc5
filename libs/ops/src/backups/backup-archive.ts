import { createWriteStream } from 'node:fs';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** One file of an archive: its path inside the zip and on disk (or its bytes, read beforehand). */
export interface ArchiveFile {
  name: string;
  file: string;
  data?: Buffer;
}

/**
 * Writes `files` as a zip to `out`, streamed: yazl reads one file at a time from disk and the output goes
 * straight to the file, so memory stays flat whatever the data directory's size. `onBytes` sees progress.
 */
export async function writeArchive(
  out: string,
  files: ArchiveFile[],
  onBytes?: (bytes: number) => void,
): Promise<void> {
  // Loaded at first use: a server that never makes a backup keeps its memory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ZipFile } = require('yazl') as typeof import('yazl');
  const zip = new ZipFile();
  for (const entry of files) {
    const options = { compress: !/\.(jpe?g|png|gif|webp|avif|zip|gz|mp4|mp3|pdf)$/i.test(entry.name) };
    if (entry.data) {
      zip.addBuffer(entry.data, entry.name, options);
    } else {
      zip.addFile(entry.file, entry.name, options);
    }
  }
  zip.end();
  // yazl reports a file it can't read (gone, unreadable) on the ZipFile itself, not on its output stream: without
  // this listener that error would end the process.
  const unreadable = new Promise<never>((_resolve, reject) => zip.on('error', reject));
  const output = createWriteStream(out, { flags: 'wx' });
  if (onBytes) {
    let written = 0;
    zip.outputStream.on('data', (chunk: Buffer) => onBytes((written += chunk.length)));
  }
  try {
    await Promise.race([pipeline(zip.outputStream, output), unreadable]);
  } catch (error) {
    (zip.outputStream as unknown as { destroy(): void }).destroy();
    output.destroy();
    await rm(out, { force: true });
    throw error;
  }
}

/** The regular files under `dir` (symlinks and other special files are left out), as archive entries under `prefix`. */
export async function filesUnder(dir: string, prefix: string): Promise<ArchiveFile[]> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  const out: ArchiveFile[] = [];
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    const info = await lstat(file).catch(() => null);
    if (info?.isFile() && !/\.tmp-[0-9a-f]{12}$/.test(name)) {
      out.push({ name: `${prefix}${name.split(path.sep).join('/')}`, file });
    }
  }
  return out;
}

/**
 * The entries `transient` picks read into memory now, those gone meanwhile left out: small files that come and go
 * while the archive is written (the upload journal's notes and logs), which yazl would fail on if one went between
 * the listing and its turn.
 */
export async function readTransient(
  files: ArchiveFile[],
  transient: (name: string) => boolean,
): Promise<ArchiveFile[]> {
  const out: ArchiveFile[] = [];
  for (const entry of files) {
    if (!transient(entry.name)) {
      out.push(entry);
      continue;
    }
    const data = await readFile(entry.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        return null;
      }
      throw error;
    });
    if (data) {
      out.push({ ...entry, data });
    }
  }
  return out;
}
