// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real
// `nestbase serve`: installer, sign-in/out, the tutorial's todos collection built through the UI,
// records CRUD with a file upload, filter, sort, live updates, custom.css, a custom page and the
// confirm pages of the mail links. Elements are found by role and label, as a user finds them.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type ManagedProcess, repoRoot, startNestbase, TEST_CEILING_MS, waitForBanner } from '@lib/testing';
import { SmtpCatcher } from '../e2e/support/smtp-catcher';
import { Api } from './support/api';
import { eventually, launchBrowser, openPage, screenshot, type WatchedPage } from './support/browser';
import { buildTodosCollection } from './support/todos-flow';

const SU = { email: 'admin@example.com', password: 'Admin-Passw0rd-1' };
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

void describe('dashboard in Chromium', { timeout: TEST_CEILING_MS }, () => {
  let dir: string;
  let server: ManagedProcess;
  let browser: Browser;
  let smtp: SmtpCatcher;
  let api: Api;
  let main: WatchedPage;
  let installerLink = '';
  let ann: { id: string; email: string };
  const url = (hash: string) => `${server.baseUrl}/_/#${hash}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-dashboard-'));
    // The tutorial's pb_data/public/custom.css and a custom page, from examples/dashboard.
    const publicDir = join(dir, 'data', 'public');
    mkdirSync(join(publicDir, 'extensions'), { recursive: true });
    copyFileSync(join(repoRoot(), 'examples', 'dashboard', 'custom.css'), join(publicDir, 'custom.css'));
    copyFileSync(
      join(repoRoot(), 'examples', 'dashboard', 'extensions', 'todo-stats.js'),
      join(publicDir, 'extensions', 'todo-stats.js'),
    );
    smtp = await SmtpCatcher.start();
    server = await startNestbase(join(dir, 'data'));
    installerLink = (await waitForBanner(server, /^http:\/\/\S+\/_\/#\/pbinstall\/\S+$/m))[0];
    api = new Api(server.baseUrl);
    browser = await launchBrowser();
    main = await openPage(browser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('serves the app at /_/ with a strict CSP, cached assets and /_ redirecting', async () => {
    const redirect = await fetch(`${server.baseUrl}/_`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/_/');
    const index = await fetch(`${server.baseUrl}/_/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('cache-control') ?? '', /no-cache/);
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/);
    const html = await index.text();
    const asset = /\/_\/assets\/[^"]+\.js/.exec(html)?.[0];
    assert.ok(asset, html);
    assert.ok(!/https?:\/\//.test(html.replace(/http:\/\/www\.w3\.org[^"]*/g, '')), 'no external URL in index.html');
    const js = await fetch(server.baseUrl + asset);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.ok(html.indexOf('/_/custom.css') > html.indexOf('.css"'), 'custom.css linked after the own styles');
    const css = await fetch(`${server.baseUrl}/_/custom.css`);
    assert.match(css.headers.get('cache-control') ?? '', /no-cache/);
    assert.equal((await fetch(`${server.baseUrl}/_/assets/missing.js`)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/_/extensions/..%2Fcustom.css`)).status, 404);
  });

  void it('installer link creates the first superuser once', async () => {
    const { page } = main;
    await page.goto(installerLink);
    await page.getByRole('heading', { name: 'Create your first superuser account' }).waitFor();
    await screenshot(page, '01-installer');
    await page.getByLabel('Email').fill(SU.email);
    await page.getByLabel('Password', { exact: true }).fill(SU.password);
    await page.getByLabel('Password confirm').fill(SU.password);
    await page.getByRole('button', { name: 'Create superuser and login' }).click();
    await page.getByRole('heading', { name: 'users' }).waitFor();
    api.token = await api.signIn('_superusers', SU.email, SU.password);
    const supers = await api.ok<{ items: { email: string }[] }>('GET', '/api/collections/_superusers/records');
    assert.deepEqual(
      supers.items.map((s) => s.email),
      [SU.email],
    );
    // The link is dead now.
    const second = await openPage(browser);
    await second.page.goto(installerLink);
    await second.page.getByLabel('Email').fill('other@example.com');
    await second.page.getByLabel('Password', { exact: true }).fill(SU.password);
    await second.page.getByLabel('Password confirm').fill(SU.password);
    await second.page.getByRole('button', { name: 'Create superuser and login' }).click();
    await second.page
      .getByRole('alert')
      .filter({ hasText: /expired or was used/ })
      .waitFor();
    await second.context.close();
  });

  void it('applies custom.css after its own styles', async () => {
    const color = await main.page
      .getByRole('link', { name: 'nestbase home' })
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
            .backgroundColor,
      );
    assert.equal(color, 'rgb(124, 58, 237)');
  });

  void it('signs out, refuses a wrong password, and returns to the page it came from', async () => {
    const { page } = main;
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Superuser login' }).waitFor();
    await page.goto(url('/settings'));
    await page.getByRole('heading', { name: 'Superuser login' }).waitFor();
    await screenshot(page, '02-login');
    await page.getByLabel('Email').fill(SU.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /Failed to authenticate/ })
      .waitFor();
    await page.getByLabel('Password').fill(SU.password);
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await page.getByRole('heading', { name: 'Application' }).waitFor();
    assert.match(page.url(), /#\/settings$/);
    await screenshot(page, '03-settings');
    // The session is remembered: a reload stays signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'Application' }).waitFor();
  });

  void it('first load of the collections page: ≤ 400 KB gzipped JavaScript, editors not loaded yet', async (t) => {
    const page = await main.context.newPage();
    const scripts: { url: string; gzip: number; encoding: string }[] = [];
    page.on('response', (response) => {
      if (/\/_\/assets\/.+\.js$/.test(response.url())) {
        void response.body().then((body) =>
          scripts.push({
            url: response.url(),
            gzip: gzipSync(body).length,
            encoding: response.headers()['content-encoding'] ?? '',
          }),
        );
      }
    });
    const started = performance.now();
    await page.goto(url('/collections/users'));
    await page.getByRole('table', { name: 'users records' }).waitFor();
    await page.getByRole('button', { name: '+ New record' }).waitFor();
    const ms = Math.round(performance.now() - started);
    await page.waitForLoadState('networkidle');
    const total = scripts.reduce((sum, s) => sum + s.gzip, 0);
    t.diagnostic(
      `navigation to interactive collections page: ${ms} ms; first-load JS ${scripts.length} files, ${(total / 1024).toFixed(1)} KB gzipped`,
    );
    assert.ok(total <= 400 * 1024, `first load ${total} bytes gzipped`);
    assert.ok(
      scripts.every((s) => s.encoding === 'gzip'),
      'assets served gzipped',
    );
    assert.ok(!scripts.some((s) => /CodeEditor|EditorInput/.test(s.url)), 'CodeMirror and Quill load lazily');
    await page.close();
  });

  void it('creates the tutorial todos collection through the UI (invalid rule shows the server message)', async () => {
    ann = await createUser(api, 'ann@example.com');
    await buildTodosCollection(main.page, server.baseUrl);
    const todos = await api.ok<{
      listRule: string;
      fields: { name: string; type: string; required?: boolean; collectionId?: string }[];
    }>('GET', '/api/collections/todos');
    assert.equal(todos.listRule, '@request.auth.id != "" && owner = @request.auth.id');
    const byName = Object.fromEntries(todos.fields.map((f) => [f.name, f]));
    assert.equal(byName.title.type, 'text');
    assert.equal(byName.title.required, true);
    assert.equal(byName.completed.type, 'bool');
    assert.equal(byName.owner.type, 'relation');
    assert.equal(byName.owner.collectionId, '_pb_users_auth_');
    assert.equal(byName.attachment.type, 'file');
  });

  void it('creates, edits (with a file upload) and deletes records through the UI', async () => {
    const { page } = main;
    await page.goto(url('/collections/todos'));
    await page.getByRole('button', { name: '+ New record' }).click();
    const panel = page.getByRole('dialog', { name: 'New todos record' });
    await panel.getByLabel('title').fill('Buy milk');
    await panel.getByLabel('completed').check();
    await panel.getByRole('combobox').click();
    await panel.getByRole('option', { name: new RegExp(ann.id) }).click();
    await panel.getByLabel('attachment').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await panel.getByRole('img', { name: 'receipt.png' }).waitFor();
    await screenshot(page, '05-record-panel');
    await panel.getByRole('button', { name: 'Create' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Buy milk' }).waitFor();
    const created = (await api.ok<{ items: Record<string, unknown>[] }>('GET', '/api/collections/todos/records')).items;
    assert.equal(created.length, 1);
    assert.equal(created[0].title, 'Buy milk');
    assert.equal(created[0].completed, true);
    assert.equal(created[0].owner, ann.id);
    assert.match(String(created[0].attachment), /^receipt_\w+\.png$/);

    await page.getByRole('cell', { name: 'Buy milk' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit todos record' });
    await edit.getByRole('img', { name: String(created[0].attachment) }).waitFor();
    await edit.getByLabel('title').fill('Buy oat milk');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('cell', { name: 'Buy oat milk' }).waitFor();
    const edited = await api.ok<Record<string, unknown>>(
      'GET',
      `/api/collections/todos/records/${String(created[0].id)}`,
    );
    assert.equal(edited.title, 'Buy oat milk');
    assert.equal(edited.attachment, created[0].attachment);

    await page.getByRole('cell', { name: 'Buy oat milk' }).click();
    await page.getByRole('dialog', { name: 'Edit todos record' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();
    await page
      .getByRole('cell', { name: 'No records found.' })
      .getByRole('button', { name: 'Add the first record' })
      .waitFor();
    const gone = await api.call('GET', `/api/collections/todos/records/${String(created[0].id)}`);
    assert.equal(gone.status, 404);
  });

  void it('filters and sorts, shows filter errors inline, and shows records created elsewhere live', async () => {
    const { page } = main;
    for (const title of ['banana', 'apple', 'cherry']) {
      await api.ok('POST', '/api/collections/todos/records', { title, owner: ann.id });
    }
    await page.reload();
    await page.getByRole('cell', { name: 'cherry' }).waitFor();
    await page.getByRole('columnheader', { name: 'title' }).getByRole('button').click();
    await eventually(async () => (await titles(page)).join() === 'apple,banana,cherry', 'ascending sort');
    assert.equal(await page.getByRole('columnheader', { name: 'title' }).getAttribute('aria-sort'), 'ascending');
    await page.getByRole('columnheader', { name: 'title' }).getByRole('button').click();
    await eventually(async () => (await titles(page)).join() === 'cherry,banana,apple', 'descending sort');

    await page.getByLabel('Filter records').fill('title ~ "an"');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => (await titles(page)).join() === 'banana', 'filtered list');
    // A plain search term looks in the text fields.
    await page.getByLabel('Filter records').fill('herr');
    await page.keyboard.press('Enter');
    await eventually(async () => (await titles(page)).join() === 'cherry', 'searched list');
    // The filter bar completes fields and operators (the rules editor's source); Enter applies it.
    const bar = page.getByRole('textbox', { name: 'Filter records' });
    await bar.fill('');
    await bar.pressSequentially('tit');
    await page.getByRole('option', { name: 'title', exact: true }).waitFor();
    await page.waitForTimeout(150); // CodeMirror ignores an Enter right as the list opens (it submits then)
    await page.keyboard.press('Enter');
    await bar.pressSequentially(' !');
    await page.getByRole('option', { name: '!~' }).waitFor();
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await bar.pressSequentially('"apple"');
    await screenshot(page, '04b-filter-autocomplete');
    await page.keyboard.press('Enter');
    await eventually(async () => (await titles(page)).join() === 'cherry,banana', 'completed filter applied');
    assert.equal(await bar.innerText(), 'title != "apple"');
    await page.getByLabel('Filter records').fill('title = "none such"');
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: 'No records found.' }).getByRole('button', { name: 'Clear filter' }).click();
    await eventually(async () => (await titles(page)).length === 3, 'the filter cleared from the empty state');
    await page.getByLabel('Filter records').fill('nope = 1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /filter/i })
      .waitFor();
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.getByRole('cell', { name: 'apple' }).waitFor();

    await api.ok('POST', '/api/collections/todos/records', { title: 'made elsewhere', owner: ann.id });
    await page.getByRole('cell', { name: 'made elsewhere' }).waitFor();
    // Expand preview: the owner column names the related user (no presentable field: its email), not its id.
    await page
      .getByRole('row', { name: /made elsewhere/ })
      .getByText(ann.email, { exact: true })
      .waitFor();
    await screenshot(page, '04-records');
  });

  void it('mounts a custom page from <dataDir>/public/extensions', async () => {
    const { page } = main;
    await page.getByRole('link', { name: 'Todo stats' }).click();
    await page.getByRole('heading', { name: 'Records per collection' }).waitFor();
    await page.getByRole('row', { name: /todos 4/ }).waitFor();
    await screenshot(page, '06-custom-page');
  });

  void it('confirm pages of the mail links complete verification and password reset', async () => {
    await api.ok('PATCH', '/api/settings', {
      smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, tls: false, username: '' },
      meta: { appURL: server.baseUrl, senderAddress: 'no-reply@example.com' },
    });
    const bob = await createUser(api, 'bob@example.com');
    await api.ok('POST', '/api/collections/users/request-verification', { email: bob.email });
    const verifyLink = linkIn((await smtp.waitForMail(bob.email)).html, 'confirm-verification');
    const visitor = await openPage(browser);
    await visitor.page.goto(verifyLink);
    await visitor.page.getByText('Successfully verified email address.').waitFor();
    await screenshot(visitor.page, '07-confirm-verification');
    assert.equal(
      (await api.ok<{ verified: boolean }>('GET', `/api/collections/users/records/${bob.id}`)).verified,
      true,
    );

    await api.ok('POST', '/api/collections/users/request-password-reset', { email: bob.email });
    const mails = () => smtp.mails.filter((m) => m.to.includes(bob.email) && m.html.includes('confirm-password-reset'));
    await eventually(async () => mails().length > 0, 'the password reset mail');
    await visitor.page.goto(linkIn(mails()[0].html, 'confirm-password-reset'));
    await visitor.page.getByLabel('New password', { exact: true }).fill('Bob-New-Passw0rd');
    await visitor.page.getByLabel('New password confirm').fill('Bob-New-Passw0rd');
    await visitor.page.getByRole('button', { name: 'Set new password' }).click();
    await visitor.page.getByText('Successfully changed the password').waitFor();
    assert.ok(await api.signIn('users', bob.email, 'Bob-New-Passw0rd'));
    assert.deepEqual(visitor.errors, []);
    await visitor.context.close();
  });

  void it('logged no console errors on the way', () => {
    assert.deepEqual(main.errors, []);
  });
});

async function createUser(api: Api, email: string): Promise<{ id: string; email: string }> {
  const password = 'User-Passw0rd-1';
  const user = await api.ok<{ id: string }>('POST', '/api/collections/users/records', {
    email,
    password,
    passwordConfirm: password,
  });
  return { id: user.id, email };
}

async function titles(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: 'todos records' });
  const texts = await table.getByRole('row').allInnerTexts();
  return texts
    .slice(1)
    .map((row) => /\b(apple|banana|cherry|made elsewhere)\b/.exec(row)?.[1] ?? '')
    .filter(Boolean);
}

function linkIn(html: string, kind: string): string {
  const match = new RegExp(`https?://[^\\s"'<]+/_/#/auth/${kind}/[\\w.-]+`).exec(html);
  if (!match) {
    throw new Error(`no ${kind} link in ${html.slice(0, 300)}`);
  }
  return match[0];
}
