/**
 * Where `heap-flags.ts` (loaded first by bin/nestbase.js) notes the V8 flags it set (a registered symbol: it imports
 * nothing).
 */
const HEAP_FLAGS = Symbol.for('nestbase.heapFlags');
/** Where it leaves what to do once the server listens. */
const AFTER_START = Symbol.for('nestbase.afterStart');

/**
 * What a worker thread of this process needs to start with: the V8 flags the main thread set at start (to set them
 * again: a worker's start puts V8's process-wide flags back to the command line's, and the main thread's young
 * generation then grew from 2 to 33.6 MB under bench:records' loads) and a small young generation of its own (its
 * jobs' values are short-lived; V8 would grow it to 48 MB under load). The old generation is left unlimited.
 */
export function workerHeap(): { heapFlags: string; resourceLimits: { maxYoungGenerationSizeMb: number } } {
  const flags = (globalThis as Record<symbol, unknown>)[HEAP_FLAGS];
  return { heapFlags: typeof flags === 'string' ? flags : '', resourceLimits: { maxYoungGenerationSizeMb: 4 } };
}

/**
 * Called by `serve` and `HooksServer.start` once the app listens: heap-flags' settings for a started server (nothing
 * where bin/nestbase.js didn't load them, as in an app using nestbase as a library).
 */
export function heapAfterStart(): void {
  const after = (globalThis as Record<symbol, unknown>)[AFTER_START];
  if (typeof after === 'function') {
    (after as () => void)();
  }
}
