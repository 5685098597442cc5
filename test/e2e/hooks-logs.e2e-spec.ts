// A hooks file's console.log/info/warn/error and app.logger land in the request logs (GET /api/logs) as app
// entries of the matching level (info 0, warn 4, error 8), and console output still reaches the terminal.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { HttpClient, ManagedProcess, startNestbase, TEST_CEILING_MS, tokenFor, WAIT_CEILING_MS } from '@lib/testing';

const SU = { PB_ADMIN_EMAIL: 'logs-su@example.com', PB_ADMIN_PASSWORD: 'Logs-Su-Passw0rd' };
const HOOKS = `module.exports = (app) => {
  app.routerAdd('GET', '/api/console-probe', (e) => {
    console.log('probe-log', { n: 1 });
    console.info('probe-info');
    console.warn('probe-warn');
    console.error('probe-error');
    console.debug('probe-debug');
    app.logger.warn('probe-logger');
    e.json(200, { ok: true });
  });
};
`;

interface Log {
  level: number;
  message: string;
  data: Record<string, unknown>;
}

const dirs: string[] = [];
let proc: ManagedProcess | null = null;
after(async () => {
  await proc?.stop('SIGKILL');
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

void describe('hooks logging', () => {
  void it(
    'console.* and app.logger of a hooks file are app log entries with their level',
    { timeout: TEST_CEILING_MS },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'nb-hooks-logs-'));
      dirs.push(root);
      writeFileSync(join(root, 'probe.pb.js'), HOOKS);
      proc = await startNestbase(join(root, 'data'), ['--hooksDir', root], { env: SU });
      const http = new HttpClient(proc.baseUrl);
      assert.equal((await http.request('GET', '/api/console-probe')).status, 200);
      const token = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
      const url = `/api/logs?perPage=50&filter=${encodeURIComponent('message ~ "probe-" && data.type = "app"')}`;
      let items: Log[] = [];
      const deadline = Date.now() + WAIT_CEILING_MS;
      while (items.length < 5 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        items = (await http.request('GET', url, { token })).json<{ items: Log[] }>().items;
      }
      const levels = Object.fromEntries(items.map((l) => [l.message, l.level]));
      assert.deepEqual(levels, {
        'probe-log { n: 1 }': 0,
        'probe-info': 0,
        'probe-warn': 4,
        'probe-error': 8,
        'probe-logger': 4,
      });
      const fromConsole = items.find((l) => l.message === 'probe-warn');
      assert.equal(fromConsole?.data.context, 'hooks');
      assert.equal(fromConsole?.data.file, 'probe.pb.js');
      assert.match(proc.stdout(), /probe-log \{ n: 1 \}/);
      assert.match(proc.stderr(), /probe-error/);
    },
  );
});
