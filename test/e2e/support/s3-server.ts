// An S3-compatible server for the file tests: `s3rver` on a free 127.0.0.1 port in a temp dir,
// with one bucket for files and one for backups. Credentials are s3rver's fixed ones.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import S3rver from 's3rver';

import { freePort } from '@lib/testing';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  directory: string;
  /** The `s3` settings object nestbase takes through `PATCH /api/settings`. */
  settings: Record<string, unknown>;
  /** The same for `backups.s3`: its own bucket, where nothing else is listed. */
  backupSettings: Record<string, unknown>;
  /** Keys stored under `prefix` (read from s3rver's directory). */
  keys(prefix: string): string[];
  /** Stops answering (the port closes), keeping the stored objects for `resume`. */
  suspend(): Promise<void>;
  /** Serves the same directory on the same port again. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'nestbase-s3-'));
  const port = await freePort();
  const bucket = 'nestbase-files';
  const buckets = [{ name: bucket }, { name: 'nestbase-backups' }];
  const create = () => new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: buckets });
  let server: S3rver | null = create();
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const settings = (name: string) => ({
    enabled: true,
    bucket: name,
    region: 'us-east-1',
    endpoint,
    accessKey: 'S3RVER',
    secret: 'S3RVER',
    forcePathStyle: true,
  });
  return {
    endpoint,
    bucket,
    directory,
    settings: settings(bucket),
    backupSettings: settings('nestbase-backups'),
    keys(prefix) {
      const root = join(directory, bucket, prefix);
      if (!existsSync(root)) {
        return [];
      }
      const out: string[] = [];
      const walk = (dir: string, rel: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) {
            walk(join(dir, entry.name), `${rel}${entry.name}/`);
          } else if (entry.name.endsWith('._S3rver_object')) {
            out.push(`${rel}${entry.name.replace(/\._S3rver_object$/, '')}`);
          }
        }
      };
      walk(root, prefix);
      return out;
    },
    async suspend() {
      await server?.close();
      server = null;
    },
    async resume() {
      if (!server) {
        server = create();
        await server.run();
      }
    },
    async stop() {
      await server?.close();
      server = null;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
