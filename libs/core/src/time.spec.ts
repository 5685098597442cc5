import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatDate, nowAfter, nowString } from './time';

void describe('nowAfter', () => {
  void it('is now when the clock has passed the previous stamp (or there is none)', () => {
    const before = nowString();
    assert.ok(nowAfter(undefined) >= before);
    assert.ok(nowAfter('2001-01-01 00:00:00.000Z') >= before);
  });

  void it('is a millisecond after a previous stamp the clock has not passed (same millisecond, clock set back)', () => {
    const ahead = formatDate(new Date(Date.now() + 60_000));
    const next = nowAfter(ahead);
    assert.equal(Date.parse(next.replace(' ', 'T')) - Date.parse(ahead.replace(' ', 'T')), 1);
    assert.ok(next > ahead, 'and sorts after it as text');
  });

  void it('is now when the previous stamp is not a date', () => {
    const stamp = Date.parse(nowAfter('not a date').replace(' ', 'T'));
    assert.ok(Math.abs(stamp - Date.now()) < 60_000);
  });
});
