// The servers' heap settings (libs/core/src/platform/heap-flags.ts, loaded by bin/nestbase.js; issue 16's memory
// targets), seen from inside a real `nestbase serve` and `nestbase records`: a probe preloaded through NODE_OPTIONS
// writes V8's heap spaces on SIGUSR2.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startNestbase, startSplitService, waitFor, type ManagedProcess, type ProcessOptions } from '@lib/testing';

interface HeapReport {
  spaces: Record<string, { size: number; used: number }>;
  /** `typeof gc` in a context made after the start (the start's collection exposes it for a moment only). */
  gcInNewContext: string;
  /** Whether a hot function of the probe's got optimized by TurboFan (off while `serve` starts, on once it listens). */
  turboFanned: boolean;
}

const MB = 1024 * 1024;

type Start = (dir: string, options: ProcessOptions) => Promise<ManagedProcess>;

function heapSettings(command: string, start: Start): void {
  void describe(`heap settings of nestbase ${command}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestbase-heap-'));
    const probe = join(dir, 'probe.js');
    let server: ManagedProcess;
    let reports = 0;

    before(async () => {
      writeFileSync(
        probe,
        `const fs = require('node:fs'), v8 = require('node:v8'), vm = require('node:vm');
v8.setFlagsFromString('--allow-natives-syntax');
const status = new Function('f', 'return %GetOptimizationStatus(f)');
v8.setFlagsFromString('--no-allow-natives-syntax');
function hot(x) { let s = 0; for (let i = 0; i < 50; i++) s = (s + x * i) % 7919; return s; }
function turboFanned() {
  for (let round = 0; round < 2000; round++) {
    for (let i = 0; i < 1000; i++) hot(i);
    if (status(hot) & 64) return true; // V8's OptimizationStatus::kTurboFanned
  }
  return false;
}
process.on('SIGUSR2', () => {
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = { size: s.space_size, used: s.space_used_size };
  const file = process.env.HEAP_REPORT;
  const report = { spaces, gcInNewContext: vm.runInNewContext('typeof gc'), turboFanned: turboFanned() };
  fs.writeFileSync(file + '.tmp', JSON.stringify(report));
  fs.renameSync(file + '.tmp', file);
});
`,
      );
      server = await start(join(dir, 'pb_data'), {
        env: { NODE_OPTIONS: `--require ${probe}`, HEAP_REPORT: join(dir, 'report') },
      });
    });

    after(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    async function report(): Promise<HeapReport> {
      const file = join(dir, `report`);
      rmSync(file, { force: true });
      reports++;
      server.child.kill('SIGUSR2');
      await waitFor(() => existsSync(file), `heap report ${reports}`);
      return JSON.parse(readFileSync(file, 'utf8')) as HeapReport;
    }

    void it('once listening: the start collected, the old generation compacted, gc hidden, TurboFan on', async () => {
      const { spaces, gcInNewContext, turboFanned } = await report();
      const old = spaces.old_space;
      // Without the compacting collection the old generation kept ~8 MB of pages more than its objects.
      assert.ok(old.size - old.used < 4 * MB, `old space ${old.size} bytes for ${old.used} used`);
      assert.ok(spaces.new_space.size <= 2 * MB, `new space ${spaces.new_space.size} bytes while idle`);
      assert.equal(gcInNewContext, 'undefined');
      assert.equal(turboFanned, true, 'a hot function is optimized once the server listens');
    });

    void it('under load the young generation grows to at most its cap (8 MB), not V8 default 32 MB', async () => {
      let left = 6000;
      const client = async () => {
        while (left-- > 0) {
          const res = await fetch(`${server.baseUrl}/api/collections/nope/records?filter=${'a'.repeat(200)}`);
          await res.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: 24 }, client));
      const { spaces } = await report();
      assert.ok(spaces.new_space.size <= 8 * MB, `new space ${spaces.new_space.size} bytes after the load`);
    });
  });
}

heapSettings('serve', (dir, options) => startNestbase(dir, [], options));
heapSettings('records', (dir, options) => startSplitService('records', dir, [], options));
