import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { ADMIN, ROOT, startNestbase, stop } from '../records/processes';

/**
 * `npm run bench:dashboard`: the admin dashboard's weight and speed. Prints the gzip sizes of the built
 * assets (dist/dashboard/assets: all JavaScript, all CSS, the largest chunks) and of the JavaScript the
 * collections page loads first, then the time from navigation to a usable collections page (the `users`
 * records table and its "+ New record" button) in BENCH_RUNS (7) fresh browser contexts (cold cache) and as
 * many reloads (warm cache): median, min and max. Needs `npm run build` and /usr/bin/chromium.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const log = (line: string) => process.stdout.write(`${line}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)})`;
};

function assetSizes(): void {
  const dir = path.join(ROOT, 'dist', 'dashboard', 'assets');
  const files = fs.readdirSync(dir).map((name) => {
    const body = fs.readFileSync(path.join(dir, name));
    return { name, raw: body.length, gzip: gzipSync(body).length };
  });
  for (const ext of ['.js', '.css']) {
    const of = files.filter((f) => f.name.endsWith(ext));
    const raw = of.reduce((sum, f) => sum + f.raw, 0);
    const gzip = of.reduce((sum, f) => sum + f.gzip, 0);
    log(`all ${ext} assets: ${of.length} files, ${kb(raw)} raw, ${kb(gzip)} gzipped`);
  }
  const largest = files.filter((f) => f.name.endsWith('.js')).sort((a, b) => b.gzip - a.gzip);
  for (const f of largest.slice(0, 4)) {
    log(`  ${f.name}: ${kb(f.gzip)} gzipped`);
  }
}

/** A context signed in as the superuser (the SDK's stored session), with JS responses counted. */
async function signedInContext(browser: Browser, baseUrl: string, token: string, record: unknown) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const auth = JSON.stringify({ token, record });
  await context.addInitScript(`localStorage.setItem('__nb_superuser_auth__', ${JSON.stringify(auth)});`);
  const scripts: number[] = [];
  context.on('response', (response) => {
    if (/\/_\/assets\/.+\.js$/.test(response.url())) {
      void response.body().then((body) => scripts.push(gzipSync(body).length));
    }
  });
  return { context, scripts, url: `${baseUrl}/_/#/collections/users` };
}

async function timeToUsable(context: BrowserContext, url: string, reload: boolean): Promise<number> {
  const page = context.pages()[0] ?? (await context.newPage());
  const started = performance.now();
  if (reload) {
    await page.reload();
  } else {
    await page.goto(url);
  }
  await page.getByRole('table', { name: 'users records' }).and(page.locator('[aria-busy=false]')).waitFor();
  await page.getByRole('button', { name: '+ New record' }).waitFor();
  return performance.now() - started;
}

async function main(): Promise<void> {
  assetSizes();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-bench-dashboard-'));
  const { server } = await startNestbase(path.join(dir, 'data'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const signIn = await fetch(`${baseUrl}/api/collections/_superusers/auth-with-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: ADMIN.email, password: ADMIN.password }),
    });
    const { token, record } = (await signIn.json()) as { token: string; record: unknown };
    const cold: number[] = [];
    const warm: number[] = [];
    let firstLoad: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { context, scripts, url } = await signedInContext(browser, baseUrl, token, record);
      cold.push(await timeToUsable(context, url, false));
      await context.pages()[0].waitForLoadState('networkidle');
      firstLoad = [...scripts];
      warm.push(await timeToUsable(context, url, true));
      await context.close();
    }
    const total = firstLoad.reduce((sum, n) => sum + n, 0);
    log(`collections page first load: ${firstLoad.length} JS files, ${kb(total)} gzipped`);
    log(`navigation to a usable collections page, cold cache (${RUNS} runs): ${stats(cold)}`);
    log(`navigation to a usable collections page, reload (${RUNS} runs): ${stats(warm)}`);
  } finally {
    await browser.close();
    await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
