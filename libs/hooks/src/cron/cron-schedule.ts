const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}
const SPECS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

export class CronSyntaxError extends Error {}

function parseValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + spec.min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= spec.min && value <= spec.max)) {
    throw new CronSyntaxError(`invalid ${spec.name} "${text}" (${spec.min}-${spec.max})`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): { values: Set<number>; any: boolean } {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (extra !== undefined || !Number.isInteger(step) || step < 1 || range === '') {
      throw new CronSyntaxError(`invalid ${spec.name} "${part}"`);
    }
    let [from, to] = [spec.min, spec.max];
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = parseValue(a, spec);
      to = b === undefined ? (stepText === undefined ? from : spec.max) : parseValue(b, spec);
      if (to < from) {
        throw new CronSyntaxError(`invalid ${spec.name} range "${range}"`);
      }
    }
    for (let v = from; v <= to; v += step) {
      values.add(spec.max === 7 && v === 7 ? 0 : v);
    }
  }
  return { values, any: text === '*' || text === '?' };
}

/**
 * A cron schedule in UTC: standard 5 fields (`minute hour day-of-month month day-of-week`: `*`, lists,
 * ranges, steps, month and day names), the macros `@hourly` … `@yearly`, and a 6-field form with a
 * leading seconds field (`*\/5 * * * * *`: every 5 seconds). As in cron, when both day fields are
 * restricted a day matching either runs.
 */
export class CronSchedule {
  private constructor(
    readonly expression: string,
    private readonly fields: Set<number>[],
    private readonly anyDom: boolean,
    private readonly anyDow: boolean,
  ) {}

  static parse(expression: string): CronSchedule {
    const trimmed = expression.trim();
    const text = MACROS[trimmed.toLowerCase()] ?? trimmed;
    const parts = text.split(/\s+/);
    if (parts.length !== 5 && parts.length !== 6) {
      throw new CronSyntaxError(`"${expression}": expected 5 fields (or 6 with seconds), got ${parts.length}`);
    }
    const all = parts.length === 5 ? ['0', ...parts] : parts;
    const parsed = all.map((p, i) => parseField(p.replace(/^\?$/, '*'), SPECS[i]));
    return new CronSchedule(
      expression,
      parsed.map((p) => p.values),
      parsed[3].any,
      parsed[5].any,
    );
  }

  /** True when the schedule has a seconds field (ticks can be less than a minute apart). */
  get hasSeconds(): boolean {
    return !(this.fields[0].size === 1 && this.fields[0].has(0));
  }

  /** The first tick strictly after `after` (whole seconds, UTC). */
  next(after: Date): Date {
    const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
    const [sec, min, hour, dom, month, dow] = this.fields;
    const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
    while (t.getTime() <= limit) {
      if (!month.has(t.getUTCMonth() + 1)) {
        t.setUTCMonth(t.getUTCMonth() + 1, 1);
        t.setUTCHours(0, 0, 0, 0);
        continue;
      }
      const domOk = dom.has(t.getUTCDate());
      const dowOk = dow.has(t.getUTCDay());
      const dayOk = this.anyDom || this.anyDow ? domOk && dowOk : domOk || dowOk;
      if (!dayOk) {
        t.setUTCDate(t.getUTCDate() + 1);
        t.setUTCHours(0, 0, 0, 0);
        continue;
      }
      if (!hour.has(t.getUTCHours())) {
        t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        continue;
      }
      if (!min.has(t.getUTCMinutes())) {
        t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        continue;
      }
      if (!sec.has(t.getUTCSeconds())) {
        t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
        continue;
      }
      return t;
    }
    throw new CronSyntaxError(`"${this.expression}" never runs`);
  }
}
