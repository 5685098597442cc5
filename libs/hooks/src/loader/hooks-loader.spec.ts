import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HooksApp } from '../hooks-app';
import type { HookData } from '../hook-types';
import { loadJsvmFile } from '../jsvm/jsvm-loader';
import { assertSyncReads, hookFiles, HooksLoadError, loadHooksDir } from './hooks-loader';

const dirs: string[] = [];
function hooksDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nestbase-hooks-spec-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

void describe('loadHooksDir', () => {
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  void it('loads .pb.js and .pb.ts files in name order and ignores others', async () => {
    const dir = hooksDir({
      'b.pb.js': "module.exports = (app) => app.cronAdd('b', '@daily', () => undefined);",
      'a.pb.ts': "export default (app: { cronAdd: Function }): void => { app.cronAdd('a', '@hourly', () => 1); };",
      'notes.js': 'throw new Error("not a hooks file")',
    });
    const app = new HooksApp();
    const loaded = await loadHooksDir(dir, app);
    assert.deepEqual(
      loaded.map((f) => f.slice(dir.length + 1)),
      ['a.pb.ts', 'b.pb.js'],
    );
    assert.deepEqual([...app.hooks.crons.keys()], ['a', 'b']);
    assert.deepEqual(hookFiles(join(dir, 'missing')), []);
  });

  const failures: [string, Record<string, string>, RegExp][] = [
    [
      'a JS syntax error',
      { 'bad.pb.js': 'module.exports = (app) => {\n  app.onBootstrap((e) => {\n    e.next(;\n  });\n};\n' },
      /bad\.pb\.js:3: SyntaxError/,
    ],
    [
      'a TS syntax error',
      { 'bad.pb.ts': 'export default (app: unknown) => {\n\n  const x = ;\n};\n' },
      /bad\.pb\.ts:3: Expression expected/,
    ],
    [
      'a throw while registering (TS, source-mapped)',
      {
        'boom.pb.ts': "type A = { x: number };\n\nexport default (app: A): void => {\n  throw new Error('boom');\n};\n",
      },
      /boom\.pb\.ts:4: Error: boom/,
    ],
    [
      'a bad cron schedule',
      { 'cron.pb.js': "module.exports = (app) => {\n  app.cronAdd('x', '61 * * * *', () => {});\n};\n" },
      /cron\.pb\.js:2: Error: invalid minute "61"/,
    ],
    ['no exported function', { 'none.pb.js': 'module.exports = 42;\n' }, /none\.pb\.js:1: must export a function/],
  ];
  for (const [name, files, message] of failures) {
    void it(`reports ${name} with file and line`, async () => {
      await assert.rejects(loadHooksDir(hooksDir(files), new HooksApp()), (error: unknown) => {
        assert.ok(error instanceof HooksLoadError);
        assert.match(error.message, message);
        assert.equal(error.message.includes('\n'), false);
        return true;
      });
    });
  }
});

void describe('PocketBase-style files where reads are awaited (PostgreSQL)', () => {
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const source =
    'routerAdd("GET", "/x", (e) => {\n  const r = $app.findRecordById("posts", "1")\n  e.json(200, r)\n})\n';

  void it('need the typescript package: without it the load fails naming the file', () => {
    const app = new HooksApp();
    app.readsAwaited = true;
    const file = join(hooksDir({ 'x.pb.js': source }), 'x.pb.js');
    assert.throws(
      () => loadJsvmFile(file, source, app, null, (m) => new HooksLoadError(m)),
      (error: unknown) => error instanceof HooksLoadError && /x\.pb\.js:1: .*"typescript" package/.test(error.message),
    );
  });

  void it('stop the start when they were loaded for synchronous reads', async () => {
    const app = new HooksApp();
    await loadHooksDir(hooksDir({ 'x.pb.js': source }), app);
    app.data = { reads: {} } as HookData;
    assert.throws(() => assertSyncReads(app), HooksLoadError);
    app.readsAwaited = true;
    assert.doesNotThrow(() => assertSyncReads(app));
  });
});
