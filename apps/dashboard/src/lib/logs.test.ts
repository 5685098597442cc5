import { describe, expect, it } from 'vitest';
import { axisMax, hourKey, hourlyBars, levelName, logLabels, logsFilter } from './logs';

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

  it('names levels and labels requests', () => {
    expect([-4, 0, 4, 8].map(levelName)).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR']);
    expect(logLabels({ type: 'request', status: 404, execTime: 1.5, auth: '', error: 'Not found.' })).toEqual([
      'status: 404',
      'execTime: 1.5ms',
      'error: Not found.',
    ]);
  });
});
