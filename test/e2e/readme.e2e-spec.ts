// The README's runnable examples, run as a reader pastes them. The `sh server` block starts the server (its
// address and data dir moved to a free port and a temp dir through NB_HTTP/NB_DIR, which the block leaves
// unset); the `sh test` blocks run in order in one bash session, as in one terminal (variables carry over),
// with 127.0.0.1:8090 / localhost:8090 rewritten to the test's port; the `js test` blocks run as ES modules
// beside the repository's node_modules. Each block's output is checked against what the README says it prints,
// and no block may print an error envelope. A README step that breaks fails this file.
import assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  freePort,
  HttpClient,
  repoRoot,
  startProcess,
  STARTUP_CEILING_MS,
  TEST_CEILING_MS,
  tokenFor,
  WAIT_CEILING_MS,
  waitForHealth,
} from '@lib/testing';
import { makeImage } from './support/images';

interface Block {
  kind: 'server' | 'test';
  lang: string;
  heading: string;
  line: number;
  code: string;
}

/** The fenced blocks whose info string is `<lang> server` or `<lang> test`, with the heading above each. */
function readmeBlocks(): Block[] {
  const lines = readFileSync(join(repoRoot(), 'README.md'), 'utf8').split('\n');
  const blocks: Block[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w+)(?: (server|test))?\s*$/.exec(lines[i]);
    if (/^#{1,4} /.test(lines[i])) {
      heading = lines[i].replace(/^#+ /, '');
    } else if (fence) {
      const end = lines.indexOf('```', i + 1);
      if (fence[2]) {
        const kind = fence[2] as Block['kind'];
        blocks.push({ kind, lang: fence[1], heading, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
      }
      i = end;
    }
  }
  return blocks;
}

/** What each tested section prints, in order (each pattern must match after the previous one's match). */
const EXPECTED: Record<string, RegExp[]> = {
  "Walk-through: the PocketBase tutorial's `todos` with curl": [
    /"name":"todos"/,
    /"collectionName":"users"/,
    /"totalItems":1,"totalPages":1,"items":\[\{[^\n]*"title":"Buy milk"/,
    /"completed":true/,
    /^204$/m,
    /^\{"page":1,"perPage":30,"totalItems":0,"totalPages":0,"items":\[\]\}$/m,
  ],
  'Register, log in, refresh': [/"collectionName":"users"/, /"token":"/],
  Files: [
    /"name":"albums"/,
    /"photos":\["beach_\w{10}\.jpg","sunset_\w{10}\.png"\]/,
    /"photos":\["beach_\w{10}\.jpg","sunset_\w{10}\.png","more_\w{10}\.jpg"\]/,
    /"photos":\["sunset_\w{10}\.png","more_\w{10}\.jpg"\]/,
    /^404 application\/json/m,
  ],
  'SSE with the JS SDK': [/^create Walk the dog$/m],
  "WebSocket (the tutorial's protocol)": [/^create todos\/\* Feed the cat$/m],
  'Request logs': [/"items":\[/, /^\[\{"total":\d+,"date":"\d{4}-\d\d-\d\d \d\d:00:00\.000Z"\}/m, /"data":\{/],
  Backups: [/^204$/m, /"key":"before_upgrade\.zip"/, /^204$/m, /^204$/m],
  Crons: [/"id":"__pbLogsCleanup__","expression":"0 \*\/6 \* \* \*"/, /^204$/m],
};

/** Things a section needs from the server before it runs that a reader gets by waiting (no sleeps). */
const BEFORE: Record<string, (http: HttpClient) => Promise<void>> = {
  // the Backups block ends with a restore, answered 204 before the app restarts on the restored data: a health
  // check may still reach the old app. The backups lock (superusers see `canBackup`) is held until the restart.
  Crons: async (http) => {
    const deadline = Date.now() + WAIT_CEILING_MS;
    for (;;) {
      const res = await tokenFor(http, '_superusers', 'admin@example.com', 'admin-password-123')
        .then((su) => http.request('GET', '/api/health', { token: su }))
        .catch(() => null);
      if (res?.status === 200 && (res.body as { data?: { canBackup?: boolean } }).data?.canBackup === true) {
        return;
      }
      assert.ok(Date.now() < deadline, 'the app did not come back after the restore');
      await new Promise((r) => setTimeout(r, 50));
    }
  },

  // request logs are written in batches every 200 ms: wait until some are there
  'Request logs': async (http) => {
    const su = await tokenFor(http, '_superusers', 'admin@example.com', 'admin-password-123');
    const deadline = Date.now() + WAIT_CEILING_MS;
    for (;;) {
      const res = await http.request('GET', '/api/logs?perPage=1', { token: su });
      if ((res.body as { totalItems?: number }).totalItems) {
        return;
      }
      assert.ok(Date.now() < deadline, 'no request log entries appeared');
      await new Promise((r) => setTimeout(r, 50));
    }
  },
};

/** A line that is PocketBase's error envelope `{status ≥ 400, message, data}`. */
function isErrorEnvelope(line: string): boolean {
  try {
    const v = JSON.parse(line) as { status?: unknown; message?: unknown; data?: unknown };
    return (
      typeof v.status === 'number' && v.status >= 400 && typeof v.message === 'string' && typeof v.data === 'object'
    );
  } catch {
    return false;
  }
}

/** One bash process fed block by block; resolves each block's output when its end marker arrives. */
class Terminal {
  private out = '';
  private err = '';
  private readonly bash: ChildProcessWithoutNullStreams;

  constructor(cwd: string) {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd } });
    this.bash.stdout.on('data', (d: Buffer) => (this.out += d.toString()));
    this.bash.stderr.on('data', (d: Buffer) => (this.err += d.toString()));
  }

  async run(code: string, n: number): Promise<{ output: string; errors: string; status: number }> {
    const marker = `__README_BLOCK_${n}_DONE__`;
    const start = this.out.length;
    const errStart = this.err.length;
    this.bash.stdin.write(`${code}\necho "${marker} $?"\n`);
    const deadline = Date.now() + WAIT_CEILING_MS;
    const done = new RegExp(`${marker} (\\d+)\\n`);
    let m: RegExpExecArray | null;
    while (!(m = done.exec(this.out.slice(start)))) {
      assert.ok(
        Date.now() < deadline,
        `block ${n} did not finish:\n${this.out.slice(start)}\n${this.err.slice(errStart)}`,
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    return { output: this.out.slice(start, start + m.index), errors: this.err.slice(errStart), status: Number(m[1]) };
  }

  close(): void {
    this.bash.kill('SIGKILL');
  }
}

void describe('README examples', () => {
  const blocks = readmeBlocks();
  const work = mkdtempSync(join(tmpdir(), 'nb-readme-'));
  const scratch = join(repoRoot(), '.scratch', `readme-${process.pid}`);
  let port = 0;
  let server: ChildProcessWithoutNullStreams | undefined;
  let serverLog = '';
  let terminal: Terminal;
  let http: HttpClient;

  before(async () => {
    port = await freePort();
    http = new HttpClient(`http://127.0.0.1:${port}`);
    const start = blocks.find((b) => b.kind === 'server');
    assert.ok(start, 'the README has a `sh server` block');
    // `npm start` is `npm run build` (prestart) and `nestbase serve`: npm test has built already, and a rebuild
    // would rewrite dist/ under the test files running beside this one
    const command = start.code.replace(/\bnpm start\b/, 'node bin/nestbase.js serve');
    assert.notEqual(command, start.code, 'the server block runs `npm start`');
    server = spawn('bash', ['-c', command], {
      cwd: repoRoot(),
      detached: true,
      env: {
        ...process.env,
        NB_HTTP: `127.0.0.1:${port}`,
        NB_DIR: join(work, 'pb_data'),
        NB_HOOKS_DIR: join(work, 'none'),
      },
    });
    server.stdout.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForHealth(`http://127.0.0.1:${port}`, STARTUP_CEILING_MS);
    // the files a reader has at hand for the Files section
    writeFileSync(join(work, 'beach.jpg'), await makeImage(64, 48, 'jpeg'));
    writeFileSync(join(work, 'sunset.png'), await makeImage(48, 64, 'png'));
    writeFileSync(join(work, 'more.jpg'), await makeImage(32, 32, 'jpeg'));
    mkdirSync(scratch, { recursive: true });
    terminal = new Terminal(work);
  });

  after(() => {
    terminal?.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(work, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  void it('every tested section of the README has its expectations here, and the other way round', () => {
    const tested = new Set(blocks.filter((b) => b.kind === 'test').map((b) => b.heading));
    assert.deepEqual([...tested].sort(), Object.keys(EXPECTED).sort());
  });

  void it('the blocks run in order and print what the README says', { timeout: TEST_CEILING_MS }, async () => {
    const outputs = new Map<string, string>();
    for (const [n, block] of blocks.entries()) {
      if (block.kind !== 'test') {
        continue;
      }
      const where = `README.md:${block.line} (${block.heading})`;
      const code = block.code.replace(/(127\.0\.0\.1|localhost):8090/g, `127.0.0.1:${port}`);
      await waitForHealth(`http://127.0.0.1:${port}`, WAIT_CEILING_MS);
      await BEFORE[block.heading]?.(http);
      let output: string;
      if (block.lang === 'sh') {
        const res = await terminal.run(code, n);
        assert.equal(res.status, 0, `${where} exited ${res.status}:\n${res.output}\n${res.errors}`);
        assert.equal(res.errors, '', `${where} wrote to stderr`);
        output = res.output;
      } else {
        const file = join(scratch, `block-${n}.mjs`);
        writeFileSync(file, code);
        const node = startProcess([file], { cwd: scratch });
        const timer = setTimeout(() => node.kill(), WAIT_CEILING_MS);
        await new Promise((r) => node.child.once('close', r));
        clearTimeout(timer);
        const res = await node.stop();
        assert.equal(res.code, 0, `${where} exited ${String(res.code ?? res.signal)}:\n${res.stdout}\n${res.stderr}`);
        output = res.stdout;
      }
      const failed = output.split('\n').find(isErrorEnvelope);
      assert.equal(failed, undefined, `${where} printed an error:\n${output}\n${serverLog.slice(-2000)}`);
      outputs.set(block.heading, (outputs.get(block.heading) ?? '') + output);
    }
    for (const [heading, patterns] of Object.entries(EXPECTED)) {
      let rest = outputs.get(heading) ?? '';
      for (const re of patterns) {
        const m = re.exec(rest);
        assert.ok(m, `README section "${heading}": no ${String(re)} in what it printed:\n${rest}`);
        rest = rest.slice(m.index + m[0].length);
      }
    }
  });
});
