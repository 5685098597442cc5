import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Imported first by main.ts, before the app is loaded: V8's young generation stays at its initial size (2 MB of new
 * space) instead of doubling up to 32 MB under load (issue 16), except under load, where it may grow to
 * NEW_SPACE_CAP: a 2 MB new space cost a create ~20 % more CPU (objects of requests in flight promoted and
 * marked), 32 MB costs ~30 MB of peak RSS. Startup and idle keep the small one (idle RSS ~20 MB lower). The flag is
 * process-wide; a worker thread's start resets it, so the workers set it again (`workerHeap` in libs/core).
 * `node --semi-space-growth-factor=2 …` (or `--max-semi-space-size`) on the command line wins over all this.
 */
const GROWTH = '--semi-space-growth-factor=';
/** The new space (both semi-spaces) may grow to about this under load: semi-spaces of 4 MB, V8's default max 16. */
const NEW_SPACE_CAP = 8 * 1024 * 1024;
/** How often the process's CPU use and new space are looked at. */
const CHECK_MS = 500;
/** CPU use (share of one core) over the last check from which the process counts as loaded. */
const LOADED = 0.3;
/** Seconds after the start before it may grow: the start itself is busy, and idle RSS is measured after it. */
const AFTER_START_S = 10;

function newSpaceSize(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

if (!process.execArgv.some((a) => a.startsWith('--semi-space-growth-factor') || a.startsWith('--max-semi-space'))) {
  setFlagsFromString(`${GROWTH}1`);
  // Noted for the worker threads, which set it again once started (see workerHeap in libs/core).
  (globalThis as Record<symbol, unknown>)[Symbol.for('nestbase.heapFlags')] = `${GROWTH}1`;
  let cpu = process.cpuUsage();
  let growing = false;
  setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const loaded = (used.user + used.system) / 1000 > CHECK_MS * LOADED && process.uptime() > AFTER_START_S;
    const grow = loaded && newSpaceSize() < NEW_SPACE_CAP;
    if (grow || growing) {
      setFlagsFromString(`${GROWTH}${grow ? 2 : 1}`);
      growing = grow;
    }
  }, CHECK_MS).unref();
}
