/**
 * The time every expiry, window and schedule reads: tokens, OTPs, MFA sessions, rate limits. Injected (the
 * class is the DI token, provided by `ConfigModule`) so tests move it instead of waiting: unit specs use a
 * manual clock from libs/testing, and test servers (`NB_TEST_CLOCK_FILE`) an offset the test writes.
 */
export abstract class Clock {
  /**
   * True when the time may jump ahead between two reads (a test's clock): whoever sleeps until a time of this
   * clock (the cron scheduler) wakes now and then to look again.
   */
  readonly jumps: boolean = false;

  /** Milliseconds since the epoch, as `Date.now()`. */
  abstract now(): number;

  /** Seconds since the epoch (fractional), as JWT claims count. */
  seconds(): number {
    return this.now() / 1000;
  }

  date(): Date {
    return new Date(this.now());
  }
}

/** The real time. */
export class SystemClock extends Clock {
  override now(): number {
    return Date.now();
  }
}

/** The one clock of code that can't be injected (module-level helpers); tests never replace it. */
export const SYSTEM_CLOCK: Clock = new SystemClock();
