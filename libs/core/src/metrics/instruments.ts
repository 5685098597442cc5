/**
 * Counters, gauges and histograms written to Prometheus' text format. Plain numbers in a map per label set:
 * a request records into a child bound once per label set (a map lookup and a few additions), so the hot
 * path never pays prom-client's label hashing (1.4 µs per observe measured), and prom-client itself (13 MB of
 * RSS, 100 ms to load) is only loaded for the Node runtime metrics at the first scrape (see metrics-registry).
 */

export type Labels = readonly string[];

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' };

function labelText(names: Labels, values: Labels, extra = ''): string {
  const pairs = names.map((n, i) => `${n}="${String(values[i]).replace(/[\\"\n]/g, (c) => ESCAPES[c])}"`);
  if (extra) {
    pairs.push(extra);
  }
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function num(value: number): string {
  return value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value);
}

/** One metric family: its name, help, type and the label names every sample carries (in this order). */
abstract class Instrument<Child> {
  protected readonly children = new Map<string, { values: Labels; child: Child }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    readonly labelNames: Labels,
  ) {}

  /** The child of one label set, created on first use; keep it to record without the lookup. */
  labels(...values: string[]): Child {
    const key = values.length === 1 ? values[0] : values.join('\u0000');
    let entry = this.children.get(key);
    if (!entry) {
      entry = { values, child: this.newChild() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  protected abstract newChild(): Child;

  protected abstract samples(out: string[], values: Labels, child: Child): void;

  /** Refreshes values computed at scrape time (gauges with sources); nothing by default. */
  async refresh(): Promise<void> {}

  write(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`);
    if (this.children.size === 0 && this.labelNames.length === 0) {
      this.labels();
    }
    for (const { values, child } of this.children.values()) {
      this.samples(out, values, child);
    }
  }
}

export class CounterChild {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

export class Counter extends Instrument<CounterChild> {
  constructor(name: string, help: string, labelNames: Labels = []) {
    super(name, help, 'counter', labelNames);
  }
  inc(by = 1): void {
    this.labels().inc(by);
  }
  protected newChild(): CounterChild {
    return new CounterChild();
  }
  protected samples(out: string[], values: Labels, child: CounterChild): void {
    out.push(`${this.name}${labelText(this.labelNames, values)} ${num(child.value)}`);
  }
}

export class GaugeChild {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
  dec(by = 1): void {
    this.value -= by;
  }
  set(value: number): void {
    this.value = value;
  }
}

/** A gauge's value at scrape time, read from the objects that hold it (e.g. the realtime clients of a module). */
type GaugeReading = number | Iterable<[Labels, number]>;
export type GaugeSource = () => GaugeReading | Promise<GaugeReading>;

export class Gauge extends Instrument<GaugeChild> {
  private readonly sources = new Set<GaugeSource>();
  private sourcesOnly = false;

  /** Shown only while a source is attached (the PostgreSQL pool's gauges: absent on SQLite, not 0). */
  whileMeasured(): this {
    this.sourcesOnly = true;
    return this;
  }

  override write(out: string[]): void {
    if (!this.sourcesOnly || this.sources.size > 0) {
      super.write(out);
    }
  }

  constructor(name: string, help: string, labelNames: Labels = []) {
    super(name, help, 'gauge', labelNames);
  }
  inc(by = 1): void {
    this.labels().inc(by);
  }
  dec(by = 1): void {
    this.labels().dec(by);
  }
  set(value: number): void {
    this.labels().set(value);
  }

  /**
   * Reads the gauge from `source` at each scrape (summed over every source: an app restarted in-process has
   * one at a time). Returns the function that removes it. A source returns one number (no labels) or
   * `[labelValues, value]` pairs.
   */
  addSource(source: GaugeSource): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  override async refresh(): Promise<void> {
    if (this.sources.size === 0) {
      return;
    }
    const totals = new Map<string, { values: Labels; value: number }>();
    for (const source of this.sources) {
      const result = await source();
      const pairs: Iterable<[Labels, number]> = typeof result === 'number' ? [[[], result]] : result;
      for (const [values, value] of pairs) {
        const key = values.join('\u0000');
        const total = totals.get(key) ?? { values, value: 0 };
        total.value += value;
        totals.set(key, total);
      }
    }
    for (const { child } of this.children.values()) {
      child.set(0);
    }
    for (const { values, value } of totals.values()) {
      this.labels(...values).set(value);
    }
  }

  protected newChild(): GaugeChild {
    return new GaugeChild();
  }
  protected samples(out: string[], values: Labels, child: GaugeChild): void {
    out.push(`${this.name}${labelText(this.labelNames, values)} ${num(child.value)}`);
  }
}

export class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  /** Records one observation (seconds for durations). */
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) {
      i++;
    }
    if (i < bounds.length) {
      this.counts[i]++;
    }
    this.sum += value;
    this.count++;
  }
}

/** Seconds: 1 ms .. 10 s, for request and check durations. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Instrument<HistogramChild> {
  constructor(
    name: string,
    help: string,
    labelNames: Labels = [],
    private readonly bounds: readonly number[] = DURATION_BUCKETS,
  ) {
    super(name, help, 'histogram', labelNames);
  }
  observe(value: number): void {
    this.labels().observe(value);
  }
  protected newChild(): HistogramChild {
    return new HistogramChild(this.bounds);
  }
  protected samples(out: string[], values: Labels, child: HistogramChild): void {
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += child.counts[i];
      out.push(`${this.name}_bucket${labelText(this.labelNames, values, `le="${num(bound)}"`)} ${cumulative}`);
    });
    out.push(`${this.name}_bucket${labelText(this.labelNames, values, 'le="+Inf"')} ${child.count}`);
    out.push(`${this.name}_sum${labelText(this.labelNames, values)} ${num(child.sum)}`);
    out.push(`${this.name}_count${labelText(this.labelNames, values)} ${child.count}`);
  }
}

export type AnyInstrument = Counter | Gauge | Histogram;
