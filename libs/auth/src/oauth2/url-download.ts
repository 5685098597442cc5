import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import * as path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES, sniffMime, UploadedFile } from '@lib/core';

/** Loopback, private, link-local, CGNAT, multicast and reserved ranges: never fetched for a client. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** True for an address a server may fetch on a client's behalf (IPv4-mapped IPv6 checked as IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) {
    return isPublicAddress(mapped[1]);
  }
  const family = isIP(address);
  return family !== 0 && !PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** True for 127.0.0.0/8 and ::1 (also IPv4-mapped). */
export function isLoopbackAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const plain = mapped ? mapped[1] : address;
  return isIP(plain) === 4 ? plain.startsWith('127.') : plain === '::1';
}

export interface UrlDownloadOptions {
  /** Where the temporary file goes (the uploads' directory: `<dataDir>/.tmp`). */
  tmpDir: string;
  /** The record field the file is for (`UploadedFile.field`). */
  field: string;
  /** The whole download, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Bytes past this abort the download (default 5 MB, PocketBase's default file maxSize). */
  maxBytes?: number;
  /** Which resolved addresses may be connected to (default: public ones only). */
  allowAddress?: (address: string) => boolean;
}

/** A downloaded file as an upload; `dispose` removes the temporary file (call it after the record write). */
export interface DownloadedFile {
  file: UploadedFile;
  dispose(): Promise<void>;
}

const MAX_REDIRECTS = 5;

/**
 * Downloads `url` into a temporary file and returns it as an `UploadedFile` a record write accepts
 * (e.g. an OAuth2 `avatarURL` mapped to a file field). Only http(s); every connection (redirects
 * too) goes to an address `allowAddress` accepts, checked after DNS resolution, so a name can't point
 * the server at its own network. Throws on a refused address, a non-2xx answer, a timeout or too many bytes.
 */
export async function downloadUrlFile(url: string, options: UrlDownloadOptions): Promise<DownloadedFile> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const allow = options.allowAddress ?? isPublicAddress;
  let target = new URL(url);
  for (let hop = 0; ; hop++) {
    const res = await get(target, allow, signal);
    const location = res.headers.location;
    if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) {
        throw new Error('Too many redirects.');
      }
      target = new URL(location, target);
      continue;
    }
    if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) {
      res.resume();
      throw new Error(`Download failed with status ${res.statusCode ?? 0}.`);
    }
    return save(res, target, options, signal);
  }
}

function get(url: URL, allow: (address: string) => boolean, signal: AbortSignal): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new Error(`Unsupported URL scheme ${url.protocol}`));
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) && !allow(host)) {
    return Promise.reject(new Error(`Refused address ${host}.`));
  }
  const checkedLookup: LookupFunction = (hostname, _options, callback) => {
    lookup(hostname, { all: true }).then(
      (addresses) => {
        const refused = addresses.find((a) => !allow(a.address));
        if (refused || addresses.length === 0) {
          callback(new Error(`Refused address ${refused?.address ?? hostname}.`), '', 4);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', lookup: checkedLookup, signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Counts bytes against the limit and keeps the head for sniffing. */
class Meter extends Transform {
  head = Buffer.alloc(0);
  size = 0;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.max) {
      done(new Error(`The file is larger than ${this.max} bytes.`));
      return;
    }
    if (this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    }
    done(null, chunk);
  }
}

async function save(
  res: IncomingMessage,
  url: URL,
  options: UrlDownloadOptions,
  signal: AbortSignal,
): Promise<DownloadedFile> {
  await mkdir(options.tmpDir, { recursive: true });
  const file = path.join(options.tmpDir, `download-${randomBytes(12).toString('hex')}`);
  const meter = new Meter(options.maxBytes ?? 5 * 1024 * 1024);
  try {
    await pipeline(res, meter, createWriteStream(file, { flags: 'wx' }), { signal });
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  const name = baseName(url) || 'file';
  const clientType = String(res.headers['content-type'] ?? 'application/octet-stream');
  return {
    file: new UploadedFile(options.field, name, meter.size, sniffMime(meter.head), clientType, file),
    dispose: () => rm(file, { force: true }),
  };
}

function baseName(url: URL): string {
  const raw = path.posix.basename(url.pathname);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
