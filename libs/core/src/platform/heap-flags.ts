import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Loaded first by bin/nestbase.js, before anything else (it imports only Node's own modules): V8's young generation
 * stays at its initial size (2 MB of new space) instead of doubling up to 32 MB (issue 16), except under load, where
 * it may grow to NEW_SPACE_CAP: a 2 MB new space cost a create ~20 % more CPU (objects of requests in flight
 * promoted and marked), 32 MB costs ~30 MB of peak RSS. The flag is process-wide; a worker thread's start resets
 * it, so the workers set it again (`workerHeap` in libs/core). `node --semi-space-growth-factor=2 …` (or
 * `--max-semi-space-size`, `--heap-growing-percent`) on the command line wins over all this.
 *
 * Once the server listens (`heapAfterStart` in libs/core, called by `serve`), one full collection drops what the
 * start left behind, and sets the old generation's next limit from what is really live: before V8's first full
 * collection that limit is far above it, and the first seconds of load grew the old generation from 37 to 126 MB
 * (peak RSS 247 MB, bench:records view) before anything was collected. Only from then on may load grow the young
 * generation: the start itself is busy, and would leave an idle server with the grown one.
 */
const GROWTH = '--semi-space-growth-factor=';
/** The new space (both semi-spaces) may grow to about this under load: semi-spaces of 4 MB, V8's default max 16. */
const NEW_SPACE_CAP = 8 * 1024 * 1024;
/**
 * After the start, the old generation may grow to 1.5 times what its last full collection left before the next one
 * (V8 picks 1.1 to 4 from how fast it collects; after the start's collection it let refresh's load grow 30 MB of live
 * objects to 87 MB of old generation, peak RSS 210 MB). Under bench:records' loads this process promotes ~6 MB/s, so
 * the dearer of the two is a full collection every few seconds, not any measured throughput. Only while the heap is
 * small (under OLD_GROWTH_BELOW used): a large live heap (a schema of thousands of collections) would be marked
 * again and again for little memory saved, so there V8 decides as it would.
 */
const OLD_GROWTH_PERCENT = 50;
const OLD_GROWTH_BELOW = 96 * 1024 * 1024;
/** How often the process's CPU use and new space are looked at (often: a check lets it double more than once). */
const CHECK_MS = 100;
/** CPU use (share of one core) over the last check from which the process counts as loaded. */
const LOADED = 0.3;

/** The two figures the settings follow, from one read of V8's heap spaces. */
function heapSizes(): { newSpace: number; oldUsed: number } {
  const sizes = { newSpace: 0, oldUsed: 0 };
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') {
      sizes.newSpace = space.space_size;
    } else if (space.space_name === 'old_space') {
      sizes.oldUsed = space.space_used_size;
    }
  }
  return sizes;
}

/**
 * A full collection now, compacting every fragmented page (as V8's memory reducer does once a process has been idle
 * for 8 s: without it the old generation kept 36 MB of pages for 28 MB of objects). V8's `gc` is exposed for one
 * new context and hidden again: no context made later sees it.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  setFlagsFromString('--compact-on-every-full-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
    setFlagsFromString('--no-expose-gc');
  }
}

/** From now on: the young generation grows while the process is loaded, the old one's growth follows its size. */
function watchLoad(): void {
  let cpu = process.cpuUsage();
  let growing = false;
  let oldGrowth = -1;
  setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const { newSpace, oldUsed } = heapSizes();
    const grow = (used.user + used.system) / 1000 > CHECK_MS * LOADED && newSpace < NEW_SPACE_CAP;
    if (grow || growing) {
      setFlagsFromString(`${GROWTH}${grow ? 2 : 1}`);
      growing = grow;
    }
    const percent = oldUsed < OLD_GROWTH_BELOW ? OLD_GROWTH_PERCENT : 0;
    if (percent !== oldGrowth) {
      setFlagsFromString(`--heap-growing-percent=${percent}`);
      oldGrowth = percent;
    }
  }, CHECK_MS).unref();
}

const given = (...flags: string[]) => process.execArgv.some((a) => flags.some((f) => a.startsWith(f)));
const ownFlags = !given('--semi-space-growth-factor', '--max-semi-space', '--heap-growing-percent');
if (ownFlags) {
  setFlagsFromString(`${GROWTH}1`);
  // Noted for the worker threads, which set it again once started (see workerHeap in libs/core).
  (globalThis as Record<symbol, unknown>)[Symbol.for('nestbase.heapFlags')] = `${GROWTH}1`;
}

/** True while `serve` starts without TurboFan (see `startServing`). */
let compilerDeferred = false;

/**
 * Called by bin/nestbase.js for `serve` and the services, before the app loads: V8's optimizing compiler (TurboFan)
 * stays off until the server listens. Optimizing the start's code is wasted (it runs once): with it, a start cost
 * ~10 % more CPU and left 5 to 11 MB more RSS behind (the compiler's memory, varying from one start to the next):
 * `serve` idled at 91–100 MB, without it at 85–86 MB every time. Request handling is optimized as before, once the
 * server listens. Other commands (an import, a backup) keep it all along; `node --turbofan …` / `--no-turbofan …` on
 * the command line wins.
 */
export function startServing(): void {
  if (!given('--turbofan', '--no-turbofan', '--opt', '--no-opt')) {
    setFlagsFromString('--no-turbofan');
    compilerDeferred = true;
  }
}

let watching = false;
(globalThis as Record<symbol, unknown>)[Symbol.for('nestbase.afterStart')] = () => {
  if (compilerDeferred) {
    setFlagsFromString('--turbofan');
    compilerDeferred = false;
  }
  setImmediate(() => {
    if (ownFlags && heapSizes().oldUsed < OLD_GROWTH_BELOW) {
      setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`);
    }
    collectGarbage();
    if (ownFlags && !watching) {
      watching = true;
      watchLoad();
    }
  });
};
