import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';

import { LogOutput, MAX_BACKLOG_BYTES } from './log-output';

/** A stream whose reader is stuck until `release()`: what it is given waits in its buffer, as on a full pipe. */
function stuckStream() {
  const written: string[] = [];
  const held: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      held.push(done);
    },
  });
  const release = () => {
    while (held.length > 0) {
      held.shift()!();
    }
  };
  // a released write lets the next buffered one through: keep releasing until nothing is held
  const drainAll = async () => {
    for (let i = 0; i < 10_000 && (held.length > 0 || stream.writableLength > 0); i++) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { stream, written, drainAll };
}

const line = (n: number) => `${JSON.stringify({ level: 'info', n, msg: 'x'.repeat(200) })}\n`;

void describe('LogOutput', () => {
  void it('writes gathered lines in one write', () => {
    const { stream, written } = stuckStream();
    const out = new LogOutput(false, () => 'test', stream);
    out.write(line(1));
    out.write(line(2));
    out.flush();
    assert.deepEqual(written, [line(1) + line(2)]);
  });

  void it('drops lines past the backlog bound, then says how many once the stream drained', async () => {
    const { stream, written, drainAll } = stuckStream();
    const out = new LogOutput(false, () => 'test', stream);
    const lines = Math.ceil((2 * MAX_BACKLOG_BYTES) / line(0).length);
    for (let i = 0; i < lines; i++) {
      out.write(line(i));
    }
    out.flush();
    assert.ok(stream.writableLength <= MAX_BACKLOG_BYTES, `held ${stream.writableLength} bytes`);
    const dropped = out.droppedLines();
    assert.ok(dropped > lines / 3, `${dropped} of ${lines} lines dropped`);
    await drainAll();
    const notice = JSON.parse(written.at(-1)!) as { level: string; service: string; dropped: number; msg: string };
    assert.deepEqual([notice.level, notice.service, notice.dropped], ['warn', 'test', dropped]);
    assert.match(notice.msg, /log lines dropped/);
    const kept = written.join('').split('\n').filter(Boolean).length - 1;
    assert.equal(kept + dropped, lines, 'every line is written or counted');
    out.write(line(-1));
    out.flush();
    await drainAll();
    assert.equal(written.at(-1), line(-1), 'and it writes again');
  });
});
