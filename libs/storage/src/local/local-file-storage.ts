import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  createReadStream,
  createWriteStream,
  fstatSync,
  mkdirSync,
  openSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES, sniffMime } from '@lib/core';
import {
  FileStorage,
  type AppendLog,
  type ByteRange,
  type FileRead,
  type ListedFile,
  type PutOptions,
  type StoredFile,
} from '../file-storage';
import { started } from '../stream-start';

/** Files under `<dataDir>/storage/<key>`; writes go to a temporary name and are renamed into place. */
export class LocalFileStorage extends FileStorage {
  constructor(private readonly root: string) {
    super();
  }

  override async put(key: string, body: Readable | Buffer, _options?: PutOptions): Promise<void> {
    const target = this.path(key);
    const temp = await this.tempBeside(target);
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  override async putFile(key: string, file: string): Promise<void> {
    const target = this.path(key);
    const temp = await this.tempBeside(target);
    try {
      await rename(file, temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
        throw error;
      }
      await copyFile(file, temp);
    }
    await rename(temp, target);
  }

  /**
   * A few hundred bytes written at once, on this thread: three hops through libuv's thread pool (open, write,
   * close) queue behind the uploads it is copying and cost a write more than the bytes do (the upload journal's
   * note: create with a 20 KB file p50 +1.7 ms with the pool, see bench/files/create-with-file).
   */
  override async putSmall(key: string, data: Buffer): Promise<void> {
    const target = this.path(key);
    try {
      writeFileSync(target, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      await mkdir(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
  }

  /** Created exclusively (`ax`), written with O_APPEND on this thread: an append is one `write`, no pool hop. */
  override openAppendLog(key: string): AppendLog {
    const target = this.path(key);
    let fd: number;
    try {
      fd = openSync(target, 'ax');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      fd = openSync(target, 'ax');
    }
    return new LocalAppendLog(fd);
  }

  override async appendExisting(key: string, text: string): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.path(key), constants.O_WRONLY | constants.O_APPEND);
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) {
        return false;
      }
      throw error;
    }
    try {
      await handle.write(text);
      return true;
    } finally {
      await handle.close();
    }
  }

  override async deleteMany(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.delete(key)));
  }

  override async stat(key: string): Promise<StoredFile | null> {
    const file = this.path(key);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) {
        return null;
      }
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        return null;
      }
      const head = Buffer.alloc(Math.min(SNIFF_BYTES, info.size));
      await handle.read(head, 0, head.length, 0);
      return {
        size: info.size,
        modified: info.mtime,
        etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        contentType: sniffMime(head),
      };
    } finally {
      await handle.close();
    }
  }

  override async get(key: string, range?: ByteRange): Promise<FileRead | null> {
    const info = await this.stat(key);
    if (!info) {
      return null;
    }
    try {
      return { ...info, stream: await started(createReadStream(this.path(key), range ?? {})) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return null; // removed since its stat: missing, not a failed download
      }
      throw error;
    }
  }

  override async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  override async deletePrefix(prefix: string): Promise<void> {
    const dir = this.path(prefix.replace(/\/+$/, ''));
    await rm(dir, { recursive: true, force: true });
  }

  override async list(prefix: string): Promise<ListedFile[]> {
    // Only the folder the prefix names is read (the journal's sweep lists one folder of a large tree).
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const dir = folder ? this.path(folder.replace(/\/+$/, '')) : this.root;
    let names: string[];
    try {
      names = await readdir(dir, { recursive: true });
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) {
        return [];
      }
      throw error;
    }
    const out: ListedFile[] = [];
    for (const name of names) {
      const key = folder + name.split(path.sep).join('/');
      if (!key.startsWith(prefix) || /\.tmp-[0-9a-f]{12}$/.test(key)) {
        continue;
      }
      const info = await stat(path.join(dir, name)).catch(() => null);
      if (info?.isFile()) {
        out.push({ key, size: info.size, modified: info.mtime });
      }
    }
    return out;
  }

  override async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await stat(this.root);
  }

  /** The absolute path of a key, refusing anything that would leave the storage root. */
  private path(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(this.root + path.sep)) {
      throw new Error(`storage key outside the root: ${key}`);
    }
    return full;
  }

  private async tempBeside(target: string): Promise<string> {
    await mkdir(path.dirname(target), { recursive: true });
    return `${target}.tmp-${randomBytes(6).toString('hex')}`;
  }
}

/** An open local file appended to with one `write` each; a file unlinked meanwhile (link count 0) takes nothing. */
class LocalAppendLog implements AppendLog {
  constructor(private fd: number) {}

  append(text: string): boolean {
    if (this.fd < 0 || fstatSync(this.fd).nlink === 0) {
      return false;
    }
    const bytes = Buffer.from(text);
    if (writeSync(this.fd, bytes) !== bytes.length) {
      throw new Error('short write to the append log (disk full?)');
    }
    return true;
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}
