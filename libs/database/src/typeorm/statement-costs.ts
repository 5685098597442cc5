/** A read whose recent runs took less than this on average (µs) runs on the main connection. */
export const INLINE_US = 500;
/** Weight of the newest run in the moving average: a descheduled run on a busy box moves it, one run doesn't flip it. */
const WEIGHT = 1 / 8;
const MAX_STATEMENTS = 2000;

/**
 * How long each read statement took lately, to choose where the next run goes (issue 16): handing a read to a
 * worker thread costs the main thread a message each way (~50-100 µs on a busy 2-core box, more than a list
 * that an index serves), so a statement whose recent runs were cheap on average runs inline, and one that got
 * slow (a scan, a temporary sort, a growing table) goes to the workers, where it can't hold up other requests.
 * Unknown statements go to the workers until two runs are known.
 */
export class StatementCosts {
  private readonly costs = new Map<string, { avg: number; runs: number }>();

  cheap(sql: string): boolean {
    const c = this.costs.get(sql);
    return c !== undefined && c.runs >= 2 && c.avg < INLINE_US;
  }

  record(sql: string, us: number): void {
    let c = this.costs.get(sql);
    if (!c) {
      if (this.costs.size >= MAX_STATEMENTS) {
        this.costs.clear();
      }
      c = { avg: us, runs: 0 };
      this.costs.set(sql, c);
    }
    c.avg += (us - c.avg) * WEIGHT;
    c.runs++;
  }
}
