// The e2e tier's suite files (suite-files.ts) on a few standalone servers that the test runner starts and they
// share, instead of one server per file (its boot cost each file ~0.75 CPU-s), with the role rules of the
// distributed sets (suite-scheduler.ts: each server is a lane). CPU: each server's (from /proc) is shared among
// the files running on it, interval by interval, and added to theirs; what no file ran beside (boot, idle time,
// shutdown) is `overheadCpuMs`. A server that dies fails the files running on it with its log (they are stopped,
// not left to hang) and is replaced by a fresh one for the files still to come; when none can be started, the
// files left start servers of their own as in a targeted run.
import { basename } from 'node:path';

import { absorbReapedCpu, FileResult } from './file-runner';
import { procCpu } from './proc-cpu';
import { SuiteLane, SuiteScheduler } from './suite-scheduler';
import { SpawnedServer, spawnServer } from './test-server';

/** Replacements of dead servers in one run, beyond which the files left start servers of their own. */
const MAX_RESTARTS = 3;

/** CPU (user + system, ms) of process `pid` and of the children it reaped; undefined once gone. */
function processCpuMs(pid: number): number | undefined {
  const cpu = procCpu(pid);
  return cpu && cpu.ownMs + cpu.reapedMs;
}

interface Member {
  server: SpawnedServer;
  /** Its CPU at the last sample, and how much of it went to files. */
  sampledMs: number;
  attributedMs: number;
  files: number;
}

export class SharedServers {
  readonly scheduler: SuiteScheduler;
  /** One line per server that died during the run (a run with any fails). */
  readonly crashes: string[] = [];
  private readonly members = new Map<SuiteLane, Member>();
  private readonly shares = new Map<string, number>();
  private readonly crashLogs = new WeakMap<AbortSignal, string>();
  private overhead = 0;
  private restarts = 0;
  private stopping = false;

  private constructor(files: string[]) {
    this.scheduler = new SuiteScheduler(files, {
      started: (lane) => this.sample(lane),
      ended: (lane, file, result, signal) => this.ended(lane, file, result, signal),
    });
  }

  /** Starts `count` servers for `files` (compiled suite files). */
  static async start(count: number, files: string[]): Promise<SharedServers> {
    const pool = new SharedServers(files);
    await Promise.all(Array.from({ length: count }, (_, i) => pool.open(`shared server ${i + 1}`)));
    return pool;
  }

  /** CPU of the servers that no file ran beside: boot, idle time, shutdown (ms). */
  get overheadCpuMs(): number {
    return this.overhead;
  }

  get size(): number {
    return this.scheduler.lanes.length;
  }

  /** The process ids of the servers running now. */
  get pids(): number[] {
    return [...this.members.values()].map((m) => m.server.pid);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.members.values()].map((m) => m.server.stop()));
  }

  /** Starts a server for `lane` (a new lane named `name` if none): false when it didn't start. */
  private async open(name: string, lane?: SuiteLane): Promise<boolean> {
    let member: Member | undefined;
    let target: SuiteLane | undefined = lane;
    try {
      const server = await spawnServer({ onExit: (crash) => target && member && this.exited(target, member, crash) });
      member = { server, sampledMs: processCpuMs(server.pid) ?? 0, attributedMs: 0, files: 0 };
    } catch (err) {
      this.crashes.push(`${name} did not start: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    const { server } = member;
    const suiteTarget = {
      baseUrl: server.baseUrl,
      superuser: { email: server.superuserEmail, password: server.superuserPassword },
      clockFile: server.clockFile,
    };
    if (target) {
      Object.assign(target, { target: suiteTarget, down: false, controller: new AbortController() });
    } else {
      target = this.scheduler.addLane(name, suiteTarget);
    }
    this.members.set(target, member);
    return true;
  }

  /** Shares the server's CPU since the last sample among the files running on it. */
  private sample(lane: SuiteLane): void {
    const member = this.members.get(lane);
    const now = member && processCpuMs(member.server.pid);
    if (!member || now === undefined) {
      return;
    }
    const files = [...lane.running.keys()];
    const delta = now - member.sampledMs;
    member.sampledMs = now;
    if (files.length > 0) {
      files.forEach((file) => this.shares.set(file, (this.shares.get(file) ?? 0) + delta / files.length));
      member.attributedMs += delta;
    }
  }

  private ended(lane: SuiteLane, file: string, result: FileResult, signal: AbortSignal): void {
    if (!signal.aborted) {
      this.sample(lane);
    }
    const member = this.members.get(lane);
    if (member && !signal.aborted) {
      member.files += 1;
    }
    result.on = lane.name;
    if (result.cpuMs !== undefined) {
      result.cpuMs += Math.round(this.shares.get(file) ?? 0);
    }
    const crashLog = this.crashLogs.get(signal);
    if (crashLog !== undefined) {
      result.output += `\n--- ${lane.name} died while this file ran on it; its log:\n${crashLog}\n`;
    }
  }

  /** The server of `lane` exited: at the end of the run, or a crash (its files fail, a fresh server follows). */
  private exited(lane: SuiteLane, member: Member, crash: string | undefined): void {
    // Its whole CPU is in this process's reaped-children total now: not the next file's, only what no file had.
    this.overhead += Math.max(0, absorbReapedCpu() - member.attributedMs);
    if (crash === undefined || this.stopping) {
      return;
    }
    const running = [...lane.running.keys()].map((file) => basename(file));
    this.crashes.push(
      `${lane.name} died after ${member.files} files, while ${running.join(', ') || 'no file'} ran on it: ${crash.split('\n')[0]}`,
    );
    this.crashLogs.set(lane.controller.signal, crash);
    lane.down = true;
    lane.controller.abort(`${lane.name} died: ${crash.split('\n')[0]}`);
    this.members.delete(lane);
    void this.replace(lane);
  }

  private async replace(lane: SuiteLane): Promise<void> {
    this.restarts += 1;
    const back = this.restarts <= MAX_RESTARTS && !this.stopping && (await this.open(lane.name, lane));
    if (!back) {
      this.scheduler.lanes.splice(this.scheduler.lanes.indexOf(lane), 1);
    }
    this.scheduler.changed();
  }
}
