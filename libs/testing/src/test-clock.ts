// Moves the clock of the server under test (libs/core's OffsetFileClock): the offset in ms lives in the file
// named by NB_TEST_CLOCK_FILE, which every process of the deployment reads. A spawned server gets a file of its
// own; against an external target the test's NB_TEST_CLOCK_FILE must name the file its processes were given.
import { readFile, rename, writeFile } from 'node:fs/promises';

export class TestClock {
  constructor(readonly file: string) {}

  /** The external target's clock file, if the environment names one. */
  static fromEnv(env: NodeJS.ProcessEnv): TestClock | undefined {
    return env.NB_TEST_CLOCK_FILE ? new TestClock(env.NB_TEST_CLOCK_FILE) : undefined;
  }

  /** Moves the server's time forward by `ms` (on top of earlier moves); it applies to the next request. */
  async advance(ms: number): Promise<void> {
    const current = Number((await readFile(this.file, 'utf8').catch(() => '0')).trim()) || 0;
    await this.set(current + ms);
  }

  /** Back on real time. */
  reset(): Promise<void> {
    return this.set(0);
  }

  private async set(offsetMs: number): Promise<void> {
    // A new file renamed over the old one: a reader sees the whole number, and a new inode even within 1 ms.
    const next = `${this.file}.${process.pid}.tmp`;
    await writeFile(next, String(offsetMs));
    await rename(next, this.file);
  }
}

/** For a target without a clock file: says what to set instead of failing obscurely. */
export function noClock(baseUrl: string): () => Promise<void> {
  return () =>
    Promise.reject(
      new Error(`${baseUrl} has no movable clock: start its processes and this test with the same NB_TEST_CLOCK_FILE`),
    );
}
