// A Clock for unit specs: stands still until the spec moves it.
import { Clock } from '@lib/core';

export class ManualClock extends Clock {
  constructor(private current = Date.parse('2026-01-01T00:00:00Z')) {
    super();
  }

  override now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
