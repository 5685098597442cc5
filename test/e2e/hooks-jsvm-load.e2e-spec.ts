// A PocketBase-style hook file that names what nestbase lacks stops `serve` at load time, with file:line and the
// name, never at request time: an unknown hook function, a member of a global, a whole global.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freePort, runCli, TEST_CEILING_MS } from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const cleanup: string[] = [];

async function serve(files: Record<string, string>) {
  const hooks = writeHooksDir(files);
  const dir = mkdtempSync(join(tmpdir(), 'nb-jsvm-load-'));
  cleanup.push(hooks, dir);
  const port = await freePort();
  return runCli(['serve', '--http', `127.0.0.1:${port}`, '--dir', dir, '--hooksDir', hooks]);
}

const cases: [string, Record<string, string>, RegExp][] = [
  [
    // every hook function PocketBase has is supported now: a name it doesn't have fails the same way
    'a hook function PocketBase has not (a typo)',
    {
      'typo.pb.js':
        '// typo\nrouterAdd("GET", "/ok", (e) => e.json(200, {}))\nonRecordCreateRequets((e) => {\n  e.next()\n})\n',
    },
    /typo\.pb\.js:3: ReferenceError: onRecordCreateRequets is not defined/,
  ],
  [
    'a member of a global, used only inside a handler',
    {
      'dirfs.pb.js':
        'routerAdd("GET", "/ls", (e) => {\n  const fsys = $os.dirFS("/srv")\n  return e.string(200, "x")\n})\n',
    },
    /dirfs\.pb\.js:2: \$os\.dirFS is not supported by nestbase/,
  ],
  [
    'a global nestbase does not provide',
    { 'fs.pb.js': 'onBootstrap((e) => {\n  e.next()\n\n  const f = $filesystem.fileFromPath("/tmp/x")\n})\n' },
    /fs\.pb\.js:4: \$filesystem is not supported by nestbase/,
  ],
  [
    'a method of $app nestbase lacks',
    { 'app.pb.js': 'cronAdd("x", "@daily", () => {\n  $app.truncateCollection("posts")\n})\n' },
    /app\.pb\.js:2: \$app\.truncateCollection is not supported by nestbase/,
  ],
];

void describe('PocketBase-style hook files that name what nestbase lacks', () => {
  after(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));
  for (const [name, files, message] of cases) {
    void it(`${name}: exit 2 with file:line and the name`, TIMEOUT, async () => {
      const res = await serve(files);
      assert.equal(res.code, 2, res.stderr);
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    });
  }
  void it('names in comments and strings are not held against the file', TIMEOUT, async () => {
    const res = await serve({
      'ok.pb.js': '// $os.dirFS is what PocketBase has\nrouterAdd("GET", "/x", (e) => e.string(200, "$filesystem"))\n',
      'zz-bad.pb.js': 'routerAdd("GET", "/y", (e) => e.string(200, $os.dirFS("/srv")))\n',
    });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /zz-bad\.pb\.js:1: \$os\.dirFS is not supported by nestbase/);
  });
});
