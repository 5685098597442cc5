// Helpers of the realtime suites: an EventSource for the SDK on Node 20, bounded waits, message
// collectors, and a raw SSE reader for protocol-level checks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

import { EventSource } from 'eventsource';

import { WAIT_CEILING_MS } from '@lib/testing';

/** The SDK's realtime service needs a global EventSource; Node 20 has none. */
export function installEventSource(): void {
  (globalThis as { EventSource?: unknown }).EventSource ??= EventSource;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The default limit of every wait here: a hang catcher (see libs/testing/src/ceilings.ts). */
export { WAIT_CEILING_MS };

/** Polls `check` until it returns true; fails after `timeoutMs` with `what`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = WAIT_CEILING_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(20);
  }
}

export interface RealtimeMessage {
  action: string;
  record: Record<string, unknown>;
  topic?: string;
}

/** Polls `check` for up to `ms`: true as soon as it holds, false when the time is up (for retry loops). */
export async function pollFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      return false;
    }
    await sleep(20);
  }
  return true;
}

/**
 * For a subscriber that may not be ready yet (a replica that has not learnt of a collection, a client that
 * is reconnecting): `send` makes a new probe event each round until `arrived()`, failing after the ceiling.
 */
export async function probeUntil(
  send: () => Promise<unknown>,
  arrived: () => boolean,
  what: string,
  ceilingMs = WAIT_CEILING_MS,
): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  while (!arrived()) {
    assert.ok(Date.now() < deadline, `no probe reached ${what} within ${ceilingMs} ms`);
    await send();
    await pollFor(arrived, 1000);
  }
}

/** Collects messages; `count` waits for the n-th, `find` for a match, `fence` for everything published so far. */
export class Collector {
  readonly items: RealtimeMessage[] = [];
  readonly push = (m: RealtimeMessage): void => {
    this.items.push(m);
  };

  async count(n: number, what = `${n} messages`, timeoutMs = WAIT_CEILING_MS): Promise<RealtimeMessage[]> {
    await waitUntil(() => this.items.length >= n, `${what} (got ${JSON.stringify(this.items)})`, timeoutMs);
    return this.items.slice(0, n);
  }

  /** Waits until a message matching `pred` arrived. */
  async find(
    pred: (m: RealtimeMessage) => boolean,
    what: string,
    timeoutMs = WAIT_CEILING_MS,
  ): Promise<RealtimeMessage> {
    await waitUntil(() => this.items.some(pred), `${what} (got ${JSON.stringify(this.items)})`, timeoutMs);
    return this.items.find(pred)!;
  }

  /**
   * Ordering instead of time, before asserting that something did NOT arrive: `write` makes a marker record
   * this subscriber gets; a client's events come in commit order, so once the marker is here every event
   * published before it is too. The marker's messages are dropped from `items`.
   */
  async fence(write: () => Promise<{ id: string }>, what = 'the marker record'): Promise<void> {
    const marker = await write();
    await this.find((m) => m.record.id === marker.id, what);
    const kept = this.items.filter((m) => m.record.id !== marker.id);
    this.items.splice(0, this.items.length, ...kept);
  }
}

export interface SseFrame {
  id: string;
  event: string;
  data: unknown;
}

/** A raw `GET /api/realtime` stream, parsed into frames. */
export class RawSse {
  readonly frames: SseFrame[] = [];
  status = 0;
  headers = new Headers();
  private readonly abort = new AbortController();
  private ended = false;

  static async open(baseUrl: string): Promise<RawSse> {
    const sse = new RawSse();
    const res = await fetch(`${baseUrl}/api/realtime`, { signal: sse.abort.signal });
    sse.status = res.status;
    sse.headers = res.headers;
    void sse.read(res.body!);
    await waitUntil(() => sse.frames.length > 0, 'PB_CONNECT');
    return sse;
  }

  get clientId(): string {
    return (this.frames[0]?.data as { clientId: string }).clientId;
  }

  get closed(): boolean {
    return this.ended;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame: Record<string, string> = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            const colon = line.indexOf(':');
            frame[line.slice(0, colon)] = line.slice(colon + 1);
          }
          buffer = buffer.slice(end + 2);
          this.frames.push({ id: frame.id, event: frame.event, data: JSON.parse(frame.data) as unknown });
        }
      }
    } catch {
      // aborted
    }
    this.ended = true;
  }
}

export const REDIS_BIN = '/usr/bin/redis-server';

/** A throwaway `redis-server` on a free port (no persistence); `stop` kills it. */
export async function startRedis(port: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };
  process.once('exit', stop);
  await waitUntil(() => /Ready to accept connections/.test(out) || child.exitCode !== null, 'redis-server');
  assert.equal(child.exitCode, null, `redis-server exited: ${out}`);
  return { url: `redis://127.0.0.1:${port}`, stop };
}
