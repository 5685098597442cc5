import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HooksApp } from '../hooks-app';
import { hookFiles, HooksLoadError, loadHooksDir } from './hooks-loader';

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
