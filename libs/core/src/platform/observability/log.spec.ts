import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AppConfig } from '../../config/app-config';
import { accessLog, configureLogging, flushLogs, setProcessService, writeAccessLine } from './log';

/** What the process writes on stdout while `fn` runs (the batched log output flushed at the end). */
function stdoutOf(fn: () => void): string {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  try {
    fn();
    flushLogs();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

const config = (accessOn: boolean) =>
  ({ logLevel: 'warn', observability: { logFormat: 'json', accessLog: accessOn } }) as unknown as AppConfig;
const withoutTime = (line: string) => line.replace(/"time":"[^"]*"/, '"time":"T"');

void describe('access lines', () => {
  after(() => configureLogging(config(true)));

  void it("are pino's line byte for byte, undefined fields left out, strings escaped", () => {
    setProcessService('records "x"');
    configureLogging(config(true));
    const cases = [
      { reqId: 'r1', method: 'GET', url: '/api/x?a="b"&c=\\\n', route: undefined, status: 200, ms: 0.5, ip: '::1' },
      { reqId: 'r2', method: 'POST', url: '/é\u0001', route: '/api/:id', status: 404, ms: 12, authId: 'u1', ip: '' },
      { reqId: 'r3', ms: Number.NaN, status: -0 },
    ];
    for (const fields of cases) {
      const ours = stdoutOf(() => writeAccessLine(fields, 'request'));
      const pinos = stdoutOf(() => accessLog().info(fields, 'request'));
      assert.match(
        ours,
        /^\{"level":"info","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","service":"records \\"x\\""/,
      );
      assert.equal(withoutTime(ours), withoutTime(pinos));
      assert.ok(ours.endsWith('"msg":"request"}\n'));
    }
    setProcessService('nestbase');
  });

  void it('are not written with the access log off', () => {
    configureLogging(config(false));
    assert.equal(
      stdoutOf(() => writeAccessLine({ reqId: 'r1' }, 'request')),
      '',
    );
  });
});
