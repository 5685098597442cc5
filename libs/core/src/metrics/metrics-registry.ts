import { Counter, Gauge, Histogram, type AnyInstrument, type Labels } from './instruments';

interface RuntimeRegistry {
  metrics(): Promise<string>;
}

/**
 * The process's metrics, one registry for every app the process runs (an app restarted in-process keeps
 * its counters). Instruments are declared once by name (see nb-metrics.ts); asking again returns the same one.
 */
export class MetricsRegistry {
  private readonly all = new Map<string, AnyInstrument>();
  private runtime?: RuntimeRegistry;

  counter(name: string, help: string, labelNames: Labels = []): Counter {
    return this.get(name, () => new Counter(name, help, labelNames), Counter);
  }

  gauge(name: string, help: string, labelNames: Labels = []): Gauge {
    return this.get(name, () => new Gauge(name, help, labelNames), Gauge);
  }

  histogram(name: string, help: string, labelNames: Labels = [], buckets?: readonly number[]): Histogram {
    return this.get(name, () => new Histogram(name, help, labelNames, buckets), Histogram);
  }

  /**
   * Prometheus text: nestbase's metrics, then Node's runtime metrics (prom-client's default metrics, loaded
   * at the first scrape so an unscraped process never carries prom-client: its event-loop and GC figures
   * start from that scrape).
   */
  async render(): Promise<string> {
    const out: string[] = [];
    for (const instrument of this.all.values()) {
      await instrument.refresh();
      instrument.write(out);
    }
    out.push('');
    return out.join('\n') + (await this.runtimeRegistry().metrics());
  }

  private runtimeRegistry(): RuntimeRegistry {
    if (!this.runtime) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const prom = require('prom-client') as typeof import('prom-client');
      const registry = new prom.Registry();
      prom.collectDefaultMetrics({ register: registry });
      this.runtime = registry;
    }
    return this.runtime;
  }

  private get<T extends AnyInstrument>(name: string, make: () => T, kind: abstract new (...args: never[]) => T): T {
    const known = this.all.get(name);
    if (known) {
      if (!(known instanceof kind)) {
        throw new Error(`metric ${name} is already declared as a ${known.type}`);
      }
      return known;
    }
    const made = make();
    this.all.set(name, made);
    return made;
  }
}

/** The process's registry. */
export const metrics = new MetricsRegistry();
