type Callback = (value: unknown, index: number, list: unknown[]) => unknown;

/**
 * `__nbSequential(list)` of rewritten files (see jsvm-transform): for an array, its methods whose callback the
 * rewrite made async (`forEach`, `map`, `filter` …) with the callbacks run one after the other, each awaited (as
 * PocketBase runs them, synchronously), answering a promise of what the array method answers; anything else is
 * returned as it is (its own method runs, and is awaited).
 */
export function sequential(list: unknown): unknown {
  if (!Array.isArray(list)) {
    return list;
  }
  const items = list as unknown[];
  const each = async (fn: Callback, stop?: (answer: unknown) => boolean): Promise<unknown[]> => {
    const answers: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const answer = await fn(items[i], i, items);
      answers.push(answer);
      if (stop?.(answer)) {
        break;
      }
    }
    return answers;
  };
  const found = async (fn: Callback, reverse: boolean): Promise<number> => {
    for (let n = 0; n < items.length; n++) {
      const i = reverse ? items.length - 1 - n : n;
      if (await fn(items[i], i, items)) {
        return i;
      }
    }
    return -1;
  };
  return {
    forEach: async (fn: Callback) => {
      await each(fn);
    },
    map: (fn: Callback) => each(fn),
    flatMap: async (fn: Callback) => (await each(fn)).flat(),
    filter: async (fn: Callback) => {
      const keep = await each(fn);
      return items.filter((_, i) => keep[i]);
    },
    some: async (fn: Callback) => (await each(fn, (a) => Boolean(a))).some(Boolean),
    every: async (fn: Callback) => (await each(fn, (a) => !a)).every(Boolean),
    find: async (fn: Callback) => items[await found(fn, false)],
    findIndex: (fn: Callback) => found(fn, false),
    findLast: async (fn: Callback) => items[await found(fn, true)],
    findLastIndex: (fn: Callback) => found(fn, true),
    reduce: async (
      fn: (acc: unknown, value: unknown, index: number, list: unknown[]) => unknown,
      ...init: unknown[]
    ) => {
      if (init.length === 0 && items.length === 0) {
        throw new TypeError('Reduce of empty array with no initial value');
      }
      let acc = init.length > 0 ? init[0] : items[0];
      for (let i = init.length > 0 ? 0 : 1; i < items.length; i++) {
        acc = await fn(acc, items[i], i, items);
      }
      return acc;
    },
  };
}
