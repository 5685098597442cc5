/**
 * How late this event loop ran a 10 ms timer at most between start and `stop()`: the scheduling delay of a loaded
 * machine, which the servers a test starts suffer too. A time bound widened by it still fails when the thing under
 * test stalls while this process idles (a server blocked on a query, a pool waiting for a stuck step).
 */
export function latenessProbe(): { stop(): number } {
  const PERIOD_MS = 10;
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - PERIOD_MS);
    last = now;
  }, PERIOD_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(worst, performance.now() - last - PERIOD_MS);
    },
  };
}
