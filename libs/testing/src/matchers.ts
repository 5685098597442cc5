// Matchers for `expectBody`: a partial structural match where objects match on the keys the
// expectation names, arrays match by position and must have the same length, and a Matcher
// decides for itself (`any(String)`, `absent()`, `arrayContaining([...])`, ...).

const MATCHER = Symbol('nestbase.matcher');

export interface Matcher {
  readonly [MATCHER]: true;
  readonly description: string;
  /** Returns the mismatches (empty = match). `present` tells whether the key existed at all. */
  check(actual: unknown, path: string, present: boolean): string[];
}

function matcher(description: string, check: Matcher['check']): Matcher {
  return { [MATCHER]: true, description, check };
}

export function isMatcher(value: unknown): value is Matcher {
  return typeof value === 'object' && value !== null && MATCHER in value;
}

type Ctor = StringConstructor | NumberConstructor | BooleanConstructor | ArrayConstructor | ObjectConstructor;

/** `any(String)`, `any(Number)`, `any(Boolean)`, `any(Array)`, `any(Object)` (a non-null, non-array object). */
export function any(ctor: Ctor): Matcher {
  const ok = (v: unknown): boolean => {
    if (ctor === String) {
      return typeof v === 'string';
    }
    if (ctor === Number) {
      return typeof v === 'number' && !Number.isNaN(v);
    }
    if (ctor === Boolean) {
      return typeof v === 'boolean';
    }
    if (ctor === Array) {
      return Array.isArray(v);
    }
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  };
  return matcher(`any(${ctor.name})`, (actual, path) =>
    ok(actual) ? [] : [`${path}: expected any(${ctor.name}), got ${show(actual)}`],
  );
}

/** Any value except undefined (the key must be present). */
export function anything(): Matcher {
  return matcher('anything()', (actual, path, present) =>
    present && actual !== undefined ? [] : [`${path}: expected a value, key is missing`],
  );
}

/** The key must not be present at all. */
export function absent(): Matcher {
  return matcher('absent()', (actual, path, present) =>
    present ? [`${path}: expected the key to be absent, got ${show(actual)}`] : [],
  );
}

/** A string matching the regular expression. */
export function matching(re: RegExp): Matcher {
  return matcher(`matching(${String(re)})`, (actual, path) =>
    typeof actual === 'string' && re.test(actual)
      ? []
      : [`${path}: expected a string matching ${String(re)}, got ${show(actual)}`],
  );
}

/** One of the given primitive values. */
export function oneOf(...values: unknown[]): Matcher {
  return matcher(`oneOf(${values.map(show).join(', ')})`, (actual, path) =>
    values.some((v) => Object.is(v, actual))
      ? []
      : [`${path}: expected one of ${values.map(show).join(', ')}, got ${show(actual)}`],
  );
}

/** An array with exactly n items (items not inspected). */
export function arrayOfLength(n: number): Matcher {
  return matcher(`arrayOfLength(${n})`, (actual, path) =>
    Array.isArray(actual) && actual.length === n
      ? []
      : [
          `${path}: expected an array of length ${n}, got ${Array.isArray(actual) ? `length ${actual.length}` : show(actual)}`,
        ],
  );
}

/** An array in which every expected item partially matches some item (any order, extra items allowed). */
export function arrayContaining(items: unknown[]): Matcher {
  return matcher('arrayContaining([...])', (actual, path) => {
    if (!Array.isArray(actual)) {
      return [`${path}: expected an array, got ${show(actual)}`];
    }
    const out: string[] = [];
    items.forEach((item, i) => {
      if (!actual.some((a) => matchPartial(a, item).length === 0)) {
        out.push(`${path}: no item matches expected[${i}] ${show(item)}`);
      }
    });
    return out;
  });
}

/** An object whose own keys are exactly these (values not inspected). */
export function onlyKeys(keys: string[]): Matcher {
  const want = [...keys].sort();
  return matcher(`onlyKeys(${want.join(',')})`, (actual, path) => {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${show(actual)}`];
    }
    const got = Object.keys(actual).sort();
    return got.join(',') === want.join(',')
      ? []
      : [`${path}: expected keys [${want.join(',')}], got [${got.join(',')}]`];
  });
}

/** A number satisfying min <= n <= max. */
export function between(min: number, max: number): Matcher {
  return matcher(`between(${min}, ${max})`, (actual, path) =>
    typeof actual === 'number' && actual >= min && actual <= max
      ? []
      : [`${path}: expected a number in [${min}, ${max}], got ${show(actual)}`],
  );
}

/** Negates a matcher or a literal expectation. */
export function not(expected: unknown): Matcher {
  return matcher(`not(${show(expected)})`, (actual, path, present) => {
    const inner = isMatcher(expected) ? expected.check(actual, path, present) : matchPartial(actual, expected, path);
    return inner.length === 0 ? [`${path}: expected not ${show(expected)}, got ${show(actual)}`] : [];
  });
}

/** Partial structural comparison; returns one line per mismatch (empty when it matches). */
export function matchPartial(actual: unknown, expected: unknown, path = '$', present = true): string[] {
  if (isMatcher(expected)) {
    return expected.check(actual, path, present);
  }
  if (!present) {
    return [`${path}: key is missing (expected ${show(expected)})`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      return [`${path}: expected an array, got ${show(actual)}`];
    }
    const out: string[] = [];
    if (actual.length !== expected.length) {
      out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    }
    expected.forEach((item, i) => {
      out.push(...matchPartial(actual[i], item, `${path}[${i}]`, i < actual.length));
    });
    return out;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${show(actual)}`];
    }
    const out: string[] = [];
    const obj = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) {
        continue; // an undefined expectation means "not checked"; use absent() to require a missing key
      }
      out.push(...matchPartial(obj[key], value, `${path}.${key}`, Object.prototype.hasOwnProperty.call(obj, key)));
    }
    return out;
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

export function show(value: unknown): string {
  if (isMatcher(value)) {
    return value.description;
  }
  if (value === undefined) {
    return 'undefined';
  }
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
