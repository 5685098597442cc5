import { readFileSync, statSync } from 'node:fs';

import { Clock } from '../clock';

/**
 * Test servers only (`NB_TEST_CLOCK_FILE`): the real time plus an offset in milliseconds that the test writes
 * to a file, read again whenever the file changes. Every process of a deployment given the same file (one
 * host) moves at once, so a test checks an expiry by moving the clock past it instead of sleeping.
 */
export class OffsetFileClock extends Clock {
  override readonly jumps = true;
  private offset = 0;
  private seen = '';

  constructor(private readonly file: string) {
    super();
  }

  override now(): number {
    let stamp = '';
    try {
      const stat = statSync(this.file);
      stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
      if (stamp !== this.seen) {
        const value = Number(readFileSync(this.file, 'utf8').trim());
        this.offset = Number.isFinite(value) ? value : 0;
      }
    } catch {
      this.offset = 0;
    }
    this.seen = stamp;
    return Date.now() + this.offset;
  }
}
