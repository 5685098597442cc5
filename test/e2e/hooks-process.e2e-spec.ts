// Hooks as processes see them: a broken hooks file stops the start (file:line, exit 2), an after-hook
// failure is logged while the data stays, `--dev` reloads changed hooks, and the library example
// (examples/main.ts, `import { NestBase } from 'nestbase'`) runs as a program of its own.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import {
  freePort,
  HttpClient,
  makeUserInput,
  ManagedProcess,
  OPEN_RULES,
  relation,
  repoRoot,
  runCli,
  startNestbase,
  startProcess,
  STARTUP_CEILING_MS,
  TEST_CEILING_MS,
  text,
  tokenFor,
  WAIT_CEILING_MS,
  waitFor,
  waitForBanner,
  waitForHealth,
} from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';

const TIMEOUT = { timeout: TEST_CEILING_MS };

/** Polls `text()` until it matches `re`; fails after the wait ceiling with the text. */
async function waitForText(text: () => string, re: RegExp): Promise<void> {
  const deadline = Date.now() + WAIT_CEILING_MS;
  while (!re.test(text())) {
    assert.ok(Date.now() < deadline, `no ${String(re)} within ${WAIT_CEILING_MS} ms:\n${text().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/**
 * Whether process `pid` watches `dir` (Linux: /proc/<pid>/fdinfo lists each inotify watch with its inode, in
 * hex). Where there is no /proc, true: the wait it serves is then skipped.
 */
function watches(pid: number, dir: string): boolean {
  const fdinfo = `/proc/${pid}/fdinfo`;
  if (!existsSync(fdinfo)) {
    return true;
  }
  const ino = ` ino:${statSync(dir).ino.toString(16)} `;
  return readdirSync(fdinfo).some((fd) => {
    try {
      return readFileSync(join(fdinfo, fd), 'utf8').includes(ino);
    } catch {
      return false; // closed meanwhile
    }
  });
}

const SU = { PB_ADMIN_EMAIL: 'hooks-su@example.com', PB_ADMIN_PASSWORD: 'Hooks-Su-Passw0rd' };
const cleanup: string[] = [];
const procs: ManagedProcess[] = [];
const tmp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
};

async function superuser(http: HttpClient): Promise<string> {
  return tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
}

void describe('hooks in processes', () => {
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  void it('a hooks file with a syntax error stops the start: file:line on one line, exit code 2', TIMEOUT, async () => {
    const hooks = writeHooksDir({
      'ok.pb.js': 'module.exports = () => {};\n',
      'zz-bad.pb.js': 'module.exports = (app) => {\n  app.onBootstrap((e) => {\n    e.next(;\n  });\n};\n',
    });
    cleanup.push(hooks);
    const port = await freePort();
    const res = await runCli([
      'serve',
      '--http',
      `127.0.0.1:${port}`,
      '--dir',
      tmp('nb-hooks-bad-'),
      '--hooksDir',
      hooks,
    ]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /^Error: .*zz-bad\.pb\.js:3: SyntaxError: /);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  });

  void it('a .pb.ts hooks file that throws while registering is reported at its TypeScript line', TIMEOUT, async () => {
    const hooks = writeHooksDir({
      'boom.pb.ts':
        "interface App { cronAdd(n: string, s: string, f: () => void): void }\n\nexport default (app: App): void => {\n  app.cronAdd('bad', '* * * *', () => undefined);\n};\n",
    });
    cleanup.push(hooks);
    const port = await freePort();
    const res = await runCli([
      'serve',
      '--http',
      `127.0.0.1:${port}`,
      '--dir',
      tmp('nb-hooks-ts-'),
      '--hooksDir',
      hooks,
    ]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /boom\.pb\.ts:4: Error: "\* \* \* \*": expected 5 fields/);
  });

  void it('an after-hook failure is logged; the record is saved and the response is 200', TIMEOUT, async () => {
    const hooks = writeHooksDir({
      'after.pb.js':
        "module.exports = (app) => {\n  app.onRecordAfterCreate('notes', () => {\n    throw new Error('after-hook boom');\n  });\n};\n",
    });
    cleanup.push(hooks);
    const server = await startNestbase(tmp('nb-hooks-after-'), ['--hooksDir', hooks], { env: SU });
    procs.push(server);
    const http = new HttpClient(server.baseUrl);
    const token = await superuser(http);
    await http.request('POST', '/api/collections', {
      token,
      body: { name: 'notes', ...OPEN_RULES, fields: [text('body')] },
    });
    const res = await http.request('POST', '/api/collections/notes/records', { body: { body: 'kept' } });
    assert.equal(res.status, 200, res.text);
    const id = res.json<{ id: string }>().id;
    assert.equal(
      (await http.request('GET', `/api/collections/notes/records/${id}`)).json<{ body: string }>().body,
      'kept',
    );
    // The failure is logged on stderr or stdout: wait for either to show it.
    const logged = /after-create hook of notes\/\w+ failed \(the record is saved\): Error: after-hook boom/;
    await waitForText(() => server.stdout() + server.stderr(), logged);
  });

  void it('--dev reloads changed hooks, and keeps the running ones when an edit is broken', TIMEOUT, async () => {
    const version = (n: number) =>
      `export default (app: { routerAdd: Function }): void => {\n  app.routerAdd('GET', '/api/hk/version', () => ({ version: ${n} }));\n};\n`;
    const hooks = writeHooksDir({ 'version.pb.ts': version(1) });
    cleanup.push(hooks);
    const server = await startNestbase(tmp('nb-hooks-dev-'), ['--hooksDir', hooks, '--dev'], { env: SU });
    procs.push(server);
    const http = new HttpClient(server.baseUrl);
    assert.deepEqual((await http.request('GET', '/api/hk/version')).json(), { version: 1 });

    writeFileSync(join(hooks, 'version.pb.ts'), version(2));
    await waitForBanner(server, /^hooks reloaded$/m);
    await waitForHealth(server.baseUrl, STARTUP_CEILING_MS);
    assert.deepEqual((await http.request('GET', '/api/hk/version')).json(), { version: 2 });

    writeFileSync(join(hooks, 'version.pb.ts'), 'export default (app => {\n');
    await waitForText(() => server.stdout() + server.stderr(), /hooks not reloaded: .*version\.pb\.ts:\d+/);
    assert.deepEqual((await http.request('GET', '/api/hk/version')).json(), { version: 2 });
  });

  void it('--dev notices a hooks directory created after the start', TIMEOUT, async () => {
    const base = tmp('nb-hooks-later-');
    const hooks = join(base, 'later', 'pb_hooks');
    const server = await startNestbase(tmp('nb-hooks-dev2-'), ['--hooksDir', hooks, '--dev'], { env: SU });
    procs.push(server);
    const http = new HttpClient(server.baseUrl);
    assert.equal((await http.request('GET', '/api/hk/later')).status, 404);
    // one level at a time, as a person would: the watcher must follow the new level down
    mkdirSync(join(base, 'later'));
    const pid = server.child.pid ?? 0;
    await waitFor(() => watches(pid, join(base, 'later')), 'the watcher to follow the new level');
    mkdirSync(hooks);
    writeFileSync(
      join(hooks, 'later.pb.js'),
      "module.exports = (app) => app.routerAdd('GET', '/api/hk/later', (e) => e.json(200, { later: true }));\n",
    );
    await waitForBanner(server, /^hooks reloaded$/m);
    await waitForHealth(server.baseUrl, STARTUP_CEILING_MS);
    const deadline = Date.now() + WAIT_CEILING_MS;
    // the file may land after the directory's reload: a second reload follows it (the server is down meanwhile)
    const status = () =>
      http.request('GET', '/api/hk/later').then(
        (r) => r.status,
        () => 0,
      );
    while ((await status()) !== 200) {
      assert.ok(Date.now() < deadline, `the route never appeared:\n${server.stdout()}\n${server.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual((await http.request('GET', '/api/hk/later')).json(), { later: true });
  });

  void it(
    'the library example (examples/main.ts) runs as a program, owns todos and loads ./pb_hooks',
    TIMEOUT,
    async () => {
      // A user's project: main.ts compiled to JS, nestbase in node_modules (a link to this repository).
      const project = tmp('nb-hooks-lib-');
      mkdirSync(join(project, 'node_modules'));
      symlinkSync(repoRoot(), join(project, 'node_modules', 'nestbase'), 'dir');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ts = require('typescript') as typeof import('typescript');
      const source = readFileSync(join(repoRoot(), 'examples', 'main.ts'), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(project, 'main.js'), js.outputText);
      // No hooksDir given: the library loads ./pb_hooks of the working directory when it exists.
      mkdirSync(join(project, 'pb_hooks'));
      writeFileSync(
        join(project, 'pb_hooks', 'hello.pb.js'),
        "module.exports = (app) => app.routerAdd('GET', '/api/hello', (e) => e.json(200, { hello: 'from pb_hooks' }));\n",
      );

      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const proc = startProcess(
        [join(project, 'main.js')],
        { env: { ...SU, NB_HTTP: `127.0.0.1:${port}` }, cwd: project },
        baseUrl,
      );
      procs.push(proc);
      await waitForHealth(baseUrl, STARTUP_CEILING_MS, proc.child, () => proc.stdout() + proc.stderr());
      await waitForBanner(proc, /^nestbase started at http:/m);

      const http = new HttpClient(baseUrl);
      const token = await superuser(http);
      const users = (await http.request('GET', '/api/collections/users', { token })).json<{ id: string }>().id;
      const created = await http.request('POST', '/api/collections', {
        token,
        body: { name: 'todos', ...OPEN_RULES, fields: [text('title'), relation('owner', users)] },
      });
      assert.equal(created.status, 200, created.text);
      const [alice, bob] = [makeUserInput(), makeUserInput()];
      const ids: string[] = [];
      for (const input of [alice, bob]) {
        ids.push(
          (await http.request('POST', '/api/collections/users/records', { body: input })).json<{ id: string }>().id,
        );
      }
      const aliceToken = await tokenFor(http, 'users', String(alice.email), String(alice.password));
      const todo = await http.request('POST', '/api/collections/todos/records', {
        token: aliceToken,
        body: { title: 't', owner: ids[1] },
      });
      assert.equal(todo.status, 200, todo.text);
      assert.equal(todo.json<{ owner: string }>().owner, ids[0]);
      assert.ok(existsSync(join(project, 'pb_data')), 'pb_data is created in the working directory');
      assert.deepEqual((await http.request('GET', '/api/hello')).json(), { hello: 'from pb_hooks' });
      const result = await proc.stop();
      assert.equal(result.code, 0, result.stderr);
    },
  );
});
