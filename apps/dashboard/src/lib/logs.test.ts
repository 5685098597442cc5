import { describe, expect, it } from 'vitest';
import {
  axisMax,
  bucketHours,
  tickIndexes,
  hourKey,
  hourlyBars,
  levelName,
  logLabels,
  logsFilter,
  logSuggestions,
  rangeHours,
} from './logs';

describe('hourly log chart', () => {
  const now = new Date('2026-12-03T14:25:10Z');

  it('fills the window with one bar per hour, zero where the API has no bucket', () => {
    const bars = hourlyBars(
      [
        { date: '2026-12-03 13:00:00.000Z', total: 7 },
        { date: '2026-12-03 14:00:00.000Z', total: 2 },
        { date: '2026-12-01 09:00:00.000Z', total: 99 },
      ],
      now,
      3,
    );
    expect(bars.map((b) => [b.key, b.total])).toEqual([
      ['2026-12-03 12:00:00', 0],
      ['2026-12-03 13:00:00', 7],
      ['2026-12-03 14:00:00', 2],
    ]);
  });

  it('crosses midnight in UTC', () => {
    expect(hourKey(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31 23:00:00');
    const bars = hourlyBars([], new Date('2027-01-01T00:30:00Z'), 2);
    expect(bars.map((b) => b.key)).toEqual(['2026-12-31 23:00:00', '2027-01-01 00:00:00']);
  });

  it('sums the hourly buckets into wider bars, the last ending with the current hour', () => {
    const stats = [
      { date: '2026-12-03 09:00:00.000Z', total: 1 },
      { date: '2026-12-03 10:00:00.000Z', total: 2 },
      { date: '2026-12-03 14:00:00.000Z', total: 4 },
      { date: '2026-12-03 08:00:00.000Z', total: 50 },
    ];
    const bars = hourlyBars(stats, now, 6, 3);
    expect(bars.map((b) => [b.key, b.hours, b.total])).toEqual([
      ['2026-12-03 09:00:00', 3, 3],
      ['2026-12-03 12:00:00', 3, 4],
    ]);
  });

  it('picks the window of a range and at most 168 bars for it', () => {
    expect(rangeHours('24h', [], now)).toBe(24);
    expect(rangeHours('7d', [], now)).toBe(168);
    expect(rangeHours('all', [], now)).toBe(24);
    expect(rangeHours('all', [{ date: '2026-11-28 14:00:00.000Z', total: 1 }], now)).toBe(5 * 24 + 1);
    expect([24, 168, 169, 121, 720, 2400, 24 * 400].map((h) => bucketHours(h))).toEqual([1, 1, 2, 1, 6, 24, 72]);
  });

  it('labels a short window every few bars, a long one at the start of each local day', () => {
    const hourly = (n: number) => hourlyBars([], now, n).map((b) => b.start);
    expect(tickIndexes(hourly(24))).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    const week = hourly(168);
    const ticks = tickIndexes(week);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    expect(ticks.length).toBeLessThanOrEqual(7);
    for (const i of ticks) {
      expect(week[i].toDateString()).not.toBe(week[i - 1].toDateString());
    }
    const days = hourlyBars([], now, 60 * 24, 12).map((b) => b.start);
    expect(tickIndexes(days).length).toBeLessThanOrEqual(8);
  });

  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 501].map(axisMax)).toEqual([1, 1, 5, 10, 10, 20, 200, 1000]);
  });
});

describe('logs filter and labels', () => {
  it('leaves superusers out unless asked, and keeps the user filter grouped', () => {
    expect(logsFilter('', false)).toBe('data.auth != "_superusers"');
    expect(logsFilter(' a = 1 || b = 2 ', true)).toBe('(a = 1 || b = 2)');
    expect(logsFilter('level > 0', false, new Date('2026-12-03T14:25:00Z'))).toBe(
      '(level > 0) && data.auth != "_superusers" && created >= "2026-12-03 14:00:00.000Z"',
    );
  });

  it('completes log fields and macros, not @request', () => {
    const labels = (word: string) =>
      logSuggestions(word)
        .map((s) => s.label)
        .filter((l) => l.startsWith(word));
    expect(labels('data.st')).toEqual(['data.status']);
    expect(labels('@request')).toEqual([]);
    expect(labels('@now')).toEqual(['@now']);
    expect(labels('message:l')).toEqual(['message:length', 'message:lower']);
  });

  it('names levels and labels requests', () => {
    expect([-4, 0, 4, 8].map(levelName)).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR']);
    expect(logLabels({ type: 'request', status: 404, execTime: 1.5, auth: '', error: 'Not found.' })).toEqual([
      'status: 404',
      'execTime: 1.5ms',
      'error: Not found.',
    ]);
  });
});
