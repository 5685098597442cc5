/** The collection a hook point fires for (handlers registered with tags only run for theirs). */
export interface HookTag {
  id: string;
  name: string;
}

/**
 * The other libs' way to fire a hook point by PocketBase's name (`onSettingsUpdateRequest`, `onBatchRequest` …)
 * without knowing the hooks lib, which implements it (bound where hooks run; absent elsewhere: inject it
 * `@Optional()`). `run` passes `event` (its fields changeable by the handlers) through the handlers, then `handle`
 * with it; a handler that returns without `e.next()` stops it (a 400).
 */
export abstract class HookPoints {
  abstract has(name: string, tag?: HookTag): boolean;
  abstract run<E extends object, T>(
    name: string,
    event: E,
    handle: (event: E) => Promise<T>,
    tag?: HookTag,
  ): Promise<T>;
}

/** `run` through `points` when it is bound and has handlers for `name`, else `handle` at once. */
export function fireHook<E extends object, T>(
  points: HookPoints | null | undefined,
  name: string,
  event: E,
  handle: (event: E) => Promise<T>,
  tag?: HookTag,
): Promise<T> {
  return points?.has(name, tag) ? points.run(name, event, handle, tag) : handle(event);
}
