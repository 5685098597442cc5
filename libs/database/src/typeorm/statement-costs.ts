/** A read that took less than this (µs, the worst of its recent runs) runs on the main connection. */
export const INLINE_US = 500;
/** Runs after which a statement's worst time starts over (an index added since makes a slow read cheap). */
const WINDOW = 32;
const MAX_STATEMENTS = 2000;

/**
 * How long each read statement took lately, to choose where the next run goes (issue 16): handing a read to a
 * worker thread costs the main thread a message each way (~50-100 µs on a busy 2-core box, more than a list
 * that an index serves), so a statement whose recent runs were all cheap runs inline, and one that was ever slow
 * in its window goes to the workers, where it can't hold up other requests. Unknown statements go to the workers.
 */
export class StatementCosts {
  private readonly costs = new Map<string, { worst: number; runs: number }>();

  cheap(sql: string): boolean {
    const c = this.costs.get(sql);
    return c !== undefined && c.runs >= 2 && c.worst < INLINE_US;
  }

  record(sql: string, us: number): void {
    let c = this.costs.get(sql);
    if (!c) {
      if (this.costs.size >= MAX_STATEMENTS) {
        this.costs.clear();
      }
      c = { worst: 0, runs: 0 };
      this.costs.set(sql, c);
    }
    c.worst = c.runs % WINDOW === 0 ? us : Math.max(c.worst, us);
    c.runs++;
  }
}
