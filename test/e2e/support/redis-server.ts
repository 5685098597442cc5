// A throw-away redis-server (/usr/bin/redis-server) on a free 127.0.0.1 port, without persistence,
// for the suites that run nestbase with REDIS_URL. Every wait is bounded; `stop` is idempotent.
import { ChildProcess, execFile, spawn } from 'node:child_process';

import { freePort } from '@lib/testing';

import { STARTUP_CEILING_MS, WAIT_CEILING_MS } from '@lib/testing';

export const REDIS_BIN = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';

export class RedisServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts on a free port, or on `port` (a restart where a stopped server was). */
  static async start(timeoutMs = STARTUP_CEILING_MS, port?: number): Promise<RedisServer> {
    port ??= await freePort();
    const child = spawn(
      REDIS_BIN,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    process.on('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    while (!/Ready to accept connections/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        kill();
        throw new Error(`redis-server did not start on port ${port}: ${out}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return new RedisServer(child, port);
  }

  /** Runs one command through redis-cli and returns its raw output, trimmed. */
  async cli(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(REDIS_CLI, ['-p', String(this.port), ...args], { timeout: WAIT_CEILING_MS }, (error, stdout) =>
        error ? reject(new Error(`redis-cli ${args.join(' ')}: ${error.message}`)) : resolve(stdout.trim()),
      );
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
