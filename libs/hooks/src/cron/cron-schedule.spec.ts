import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronSchedule, CronSyntaxError } from './cron-schedule';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string) => CronSchedule.parse(expr).next(at(after)).toISOString();

void describe('CronSchedule', () => {
  const cases: [string, string, string][] = [
    ['* * * * *', '2024-01-01T00:00:30Z', '2024-01-01T00:01:00.000Z'],
    ['*/15 * * * *', '2024-01-01T00:14:59Z', '2024-01-01T00:15:00.000Z'],
    ['0 12 * * *', '2024-01-01T12:00:00Z', '2024-01-02T12:00:00.000Z'],
    ['5-10/5 3 * * *', '2024-01-01T03:06:00Z', '2024-01-01T03:10:00.000Z'],
    ['0 0 1 jan *', '2024-03-01T00:00:00Z', '2025-01-01T00:00:00.000Z'],
    ['0 9 * * mon-fri', '2024-01-06T10:00:00Z', '2024-01-08T09:00:00.000Z'], // Saturday → Monday
    ['0 0 * * 7', '2024-01-01T00:00:00Z', '2024-01-07T00:00:00.000Z'], // 7 = Sunday
    ['0 0 13 * 5', '2024-01-01T00:00:00Z', '2024-01-05T00:00:00.000Z'], // day 13 OR Friday
    ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['@hourly', '2024-01-01T00:59:59Z', '2024-01-01T01:00:00.000Z'],
    ['@daily', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00.000Z'],
    ['*/1 * * * * *', '2024-01-01T00:00:00.400Z', '2024-01-01T00:00:01.000Z'],
    ['30 */2 * * * *', '2024-01-01T00:00:31Z', '2024-01-01T00:02:30.000Z'],
  ];
  for (const [expr, after, expected] of cases) {
    void it(`${expr} after ${after}`, () => assert.equal(next(expr, after), expected));
  }

  void it('knows whether it has a seconds field', () => {
    assert.equal(CronSchedule.parse('* * * * *').hasSeconds, false);
    assert.equal(CronSchedule.parse('*/5 * * * * *').hasSeconds, true);
  });

  for (const bad of [
    '',
    '* * * *',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *',
    '* * * 13 *',
    '*/0 * * * *',
    'x * * * *',
    '5-1 * * * *',
  ]) {
    void it(`rejects "${bad}"`, () => assert.throws(() => CronSchedule.parse(bad), CronSyntaxError));
  }

  void it('rejects a schedule that never runs', () => {
    assert.throws(() => CronSchedule.parse('0 0 31 2 *').next(new Date()), /never runs/);
  });
});
