// Places suite files (suite-files.ts) on the servers they run against ("lanes"), by role: a file that runs
// alone has nothing beside it on its lane (the lane it waits for takes no other file until it is free), at most
// one settings file runs on a lane at a time, shared files run beside each other; the least busy lane first.
// After a file that ran alone the lane's clock is back on real time. A file runner's scheduler
// (file-runner.ts): the distributed sets run their suite on one lane, their deployment (test/distributed/support/
// suite-runner.ts); the test runner runs the e2e tier's suite files on a few standalone servers (shared-servers.ts).
import { FileLease, FileResult, FileScheduler } from './file-runner';
import { suiteEnv, SuiteRole, suiteRole, SuiteTarget } from './suite-files';
import { TestClock } from './test-clock';

export interface SuiteLane {
  name: string;
  target: SuiteTarget;
  /** The files running on it, with their roles. */
  running: Map<string, SuiteRole>;
  /** A file that runs alone waits for it: it takes no other file until it is free. */
  reserved: boolean;
  /** Being replaced: takes no file until it is back (see `changed`). */
  down: boolean;
  /** Aborted when the lane's server dies: the files running on it are stopped. */
  controller: AbortController;
}

/** What the owner of the lanes does as a file starts on one (before it counts as running) and as it ends. */
export interface LaneHooks {
  started?(lane: SuiteLane, file: string): void;
  ended?(lane: SuiteLane, file: string, result: FileResult, signal: AbortSignal): Promise<void> | void;
}

export class SuiteScheduler implements FileScheduler {
  readonly lanes: SuiteLane[] = [];
  private readonly roles = new Map<string, SuiteRole>();
  private wake: () => void = () => undefined;

  constructor(
    files: string[],
    private readonly hooks: LaneHooks = {},
  ) {
    files.forEach((file) => this.roles.set(file, suiteRole(file)));
  }

  /** The role of one of the scheduler's files (undefined: not one of them). */
  role(file: string): SuiteRole | undefined {
    return this.roles.get(file);
  }

  addLane(name: string, target: SuiteTarget): SuiteLane {
    const lane = { name, target, running: new Map(), reserved: false, down: false, controller: new AbortController() };
    this.lanes.push(lane);
    return lane;
  }

  /** A lane was added, removed or is back: files that waited may start now. */
  changed(): void {
    this.wake();
  }

  attach(wake: () => void): void {
    this.wake = wake;
  }

  admit(file: string): FileLease | null | undefined {
    const role = this.roles.get(file);
    if (role === undefined || this.lanes.length === 0) {
      return null; // not a suite file, or no server left to share: it runs on its own
    }
    const usable = this.lanes.filter((lane) => !lane.down);
    const lane = role === 'alone' ? this.laneAlone(usable) : this.laneBeside(role, usable);
    return lane ? this.lease(lane, file, role) : undefined;
  }

  /** A free lane, else the least busy one is reserved (one at a time) and the file waits for it. */
  private laneAlone(usable: SuiteLane[]): SuiteLane | undefined {
    const free = usable.find((lane) => lane.running.size === 0);
    if (free) {
      this.lanes.forEach((lane) => (lane.reserved = false)); // the next file that runs alone reserves again
      return free;
    }
    if (!this.lanes.some((lane) => lane.reserved)) {
      const drain = leastBusy(usable);
      if (drain) {
        drain.reserved = true;
      }
    }
    return undefined;
  }

  private laneBeside(role: SuiteRole, usable: SuiteLane[]): SuiteLane | undefined {
    return leastBusy(
      usable.filter((lane) => {
        const roles = [...lane.running.values()];
        return !lane.reserved && !roles.includes('alone') && (role !== 'settings' || !roles.includes('settings'));
      }),
    );
  }

  private lease(lane: SuiteLane, file: string, role: SuiteRole): FileLease {
    this.hooks.started?.(lane, file);
    lane.running.set(file, role);
    const { target } = lane;
    const signal = lane.controller.signal;
    return {
      env: suiteEnv(target, role === 'shared'),
      signal,
      release: async (result) => {
        try {
          await this.hooks.ended?.(lane, file, result, signal);
          // a file that moved the clock leaves it where it was: the next file starts on real time
          if (role === 'alone' && target.clockFile && !signal.aborted) {
            await new TestClock(target.clockFile).reset();
          }
        } finally {
          lane.running.delete(file);
        }
      },
    };
  }
}

function leastBusy(lanes: SuiteLane[]): SuiteLane | undefined {
  return lanes.reduce<SuiteLane | undefined>(
    (best, l) => (!best || l.running.size < best.running.size ? l : best),
    undefined,
  );
}
