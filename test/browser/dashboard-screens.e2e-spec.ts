// Records and auth records in Chromium against a real `nestbase serve`: relation columns named by the related
// records' presentable fields, an auth record's panel (verified badge, impersonate, external auths, MFA and OTP
// entries), the keyboard in dialogs, and every main page at 1,024 and 1,440 px wide (screenshots, no page-wide
// horizontal scroll, no console errors).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { TEST_CEILING_MS } from '@lib/testing';
import type { Api } from './support/api';
import { openPage, screenshot, type WatchedPage } from './support/browser';
import { startRig, type Rig } from './support/rig';
import { signIn } from './support/sign-in';

const SU = { email: 'screens-admin@example.com', password: 'Admin-Passw0rd-1' };
const ZOE = { email: 'zoe@example.com', password: 'Zoe-Passw0rd-1' };

void describe('dashboard records, auth records and page widths in Chromium', { timeout: TEST_CEILING_MS }, () => {
  let rig: Rig;
  let api: Api;
  let main: WatchedPage;
  let zoeId = '';

  before(async () => {
    rig = await startRig('dashboard-screens', SU);
    api = rig.api;
    const projects = await api.ok<{ id: string }>('POST', '/api/collections', {
      name: 'projects',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'code', type: 'text', presentable: true },
      ],
    });
    const plain = await api.ok<{ id: string }>('POST', '/api/collections', {
      name: 'plain',
      fields: [{ name: 'n', type: 'number' }],
    });
    await api.ok('POST', '/api/collections', {
      name: 'tasks',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'project', type: 'relation', collectionId: projects.id, maxSelect: 1 },
        { name: 'other', type: 'relation', collectionId: plain.id, maxSelect: 1 },
        { name: 'created', type: 'autodate', onCreate: true },
      ],
    });
    const project = await api.ok<{ id: string }>('POST', '/api/collections/projects/records', {
      title: 'Apollo',
      code: 'P-1',
    });
    const other = await api.ok<{ id: string }>('POST', '/api/collections/plain/records', { n: 7 });
    await api.ok('POST', '/api/collections/tasks/records', { title: 'Launch', project: project.id, other: other.id });

    // A user with an external auth, an OTP and an MFA session in progress.
    await api.ok('PATCH', '/api/collections/users', { otp: { enabled: true }, mfa: { enabled: true } });
    zoeId = (
      await api.ok<{ id: string }>('POST', '/api/collections/users/records', {
        ...ZOE,
        passwordConfirm: ZOE.password,
        name: 'Zoe',
      })
    ).id;
    await api.ok('POST', '/api/collections/_externalAuths/records', {
      collectionRef: '_pb_users_auth_',
      recordRef: zoeId,
      provider: 'github',
      providerId: 'gh-4242',
    });
    const mfa = await api.call('POST', '/api/collections/users/auth-with-password', {
      identity: ZOE.email,
      password: ZOE.password,
    });
    assert.equal(mfa.status, 401, JSON.stringify(mfa.json));
    await api.ok('POST', '/api/collections/users/request-otp', { email: ZOE.email });

    main = await openPage(rig.browser);
    await signIn(main.page, rig.url('/login'), SU);
  });

  after(async () => {
    await rig?.stop();
  });

  void it('relation columns show the presentable fields of the related records, else a name, else the id', async () => {
    const { page } = main;
    await page.goto(rig.url('/collections/tasks'));
    const row = page.getByRole('table', { name: 'tasks records' }).getByRole('row', { name: /Launch/ });
    await row.getByText('P-1', { exact: true }).waitFor();
    assert.equal(await row.getByText('Apollo').count(), 0, 'title is not presentable');
    const other = (await api.ok<{ items: { id: string }[] }>('GET', '/api/collections/plain/records')).items[0];
    await row.getByText(other.id, { exact: true }).waitFor();
    // A hidden relation column is not expanded (nor shown).
    await page.getByRole('button', { name: /^Columns/ }).click();
    await page.getByRole('checkbox', { name: 'project' }).uncheck();
    await page.keyboard.press('Escape');
    await row.getByText('P-1', { exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Columns/ }).click();
    await page.getByRole('checkbox', { name: 'project' }).check();
    await page.keyboard.press('Escape');
    await row.getByText('P-1', { exact: true }).waitFor();
  });

  void it('auth record panel: verified badge, impersonate with a duration, external auths, MFA and OTP', async () => {
    const { page } = main;
    await page.goto(rig.url('/collections/users'));
    await page.getByRole('row', { name: new RegExp(ZOE.email) }).click();
    const panel = page.getByRole('dialog', { name: 'Edit users record' });
    const auth = panel.getByRole('region', { name: 'Auth record actions' });
    await auth.getByText('Unverified', { exact: true }).waitFor();
    await auth.getByRole('button', { name: 'Send verification email' }).waitFor();
    const entries = panel.getByRole('region', { name: 'Auth entries' });
    await entries.getByText('gh-4242').waitFor();
    await entries.getByRole('button', { name: 'Unlink github' }).waitFor();
    await entries.getByText('password', { exact: true }).waitFor(); // the MFA session's first method
    await entries.getByText(ZOE.email, { exact: true }).waitFor(); // where the OTP was sent
    await auth.getByLabel('Impersonate token duration (seconds)').fill('120');
    await auth.getByRole('button', { name: 'Impersonate' }).click();
    const token = await auth.getByLabel('Impersonate auth token (not refreshable)').inputValue();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; id: string };
    assert.equal(claims.id, zoeId);
    assert.ok(Math.abs(claims.exp - Date.now() / 1000 - 120) < 30, `exp ${claims.exp}`);
    await screenshot(page, '26-auth-record');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  void it('auth options: invalidating the auth tokens voids those issued before the save', async () => {
    const { page } = main;
    await api.ok('POST', '/api/collections', { name: 'members', type: 'auth' });
    const who = { email: 'max@example.com', password: 'Max-Passw0rd-1' };
    await api.ok('POST', '/api/collections/members/records', { ...who, passwordConfirm: who.password });
    const token = await api.signIn('members', who.email, who.password);
    const refresh = () => api.call('POST', '/api/collections/members/auth-refresh', undefined, token);
    assert.equal((await refresh()).status, 200);
    await page.goto(rig.url('/collections/members'));
    await page.getByRole('button', { name: 'Edit collection' }).click();
    const panel = page.getByRole('dialog', { name: 'Edit collection members' });
    await panel.getByRole('tab', { name: 'Options' }).click();
    await panel.getByLabel('Invalidate all issued auth tokens').check();
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await panel.waitFor({ state: 'detached' });
    assert.equal((await refresh()).status, 401);
    assert.ok(await api.signIn('members', who.email, who.password), 'new sign-ins work');
  });

  void it('keyboard: Tab stays in a dialog, Escape closes it unless something is unsaved', async () => {
    const { page } = main;
    await page.goto(rig.url('/collections/tasks'));
    const row = page.getByRole('row', { name: /Launch/ });
    await row.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'Edit tasks record' });
    await panel.getByRole('button', { name: 'Save changes' }).focus();
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await holdsFocus(panel), `Tab ${i} left the panel`);
    }
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.ok(await holdsFocus(panel), 'Shift+Tab left the panel');
    // Escape in the relation picker closes its list, not the panel.
    await panel.getByRole('combobox', { name: /project/ }).focus();
    const options = panel.getByRole('listbox', { name: 'project options' });
    await options.waitFor();
    await page.keyboard.press('Escape');
    await options.waitFor({ state: 'detached' });
    assert.ok(await panel.isVisible(), 'the panel stays');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    assert.ok(await holdsFocus(row), 'focus back on the row');

    await page.keyboard.press('Enter');
    await panel.getByLabel('title').fill('Launch soon');
    await page.keyboard.press('Escape');
    const ask = page.getByRole('alertdialog').filter({ hasText: 'You have unsaved changes' });
    await ask.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.ok(await holdsFocus(ask), 'Tab left the confirm');
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    assert.equal(await panel.getByLabel('title').inputValue(), 'Launch soon', 'the edit is kept');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, discard' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  for (const width of [1024, 1440]) {
    void it(`every main page reads at ${width} px: no page-wide horizontal scroll, screenshots`, async () => {
      const { page, context, errors } = await openPage(rig.browser, width);
      await signIn(page, rig.url('/login'), SU);
      const pages: [string, string, (p: Page) => Promise<void>][] = [
        ['/collections/tasks', 'records', (p) => p.getByRole('cell', { name: 'Launch' }).waitFor()],
        ['/collections/users', 'users', (p) => p.getByRole('cell', { name: new RegExp(ZOE.email) }).waitFor()],
        ['/logs', 'logs', (p) => p.getByRole('table', { name: 'Logs' }).and(p.locator('[aria-busy=false]')).waitFor()],
        ['/settings', 'settings', (p) => p.getByRole('heading', { name: 'Application' }).waitFor()],
        ['/settings/backups', 'backups', (p) => p.getByRole('heading', { name: 'Backups' }).first().waitFor()],
        ['/settings/crons', 'crons', (p) => p.getByRole('heading', { name: 'Crons' }).first().waitFor()],
        [
          '/settings/import',
          'import',
          (p) =>
            p
              .getByRole('heading', { name: /Import/ })
              .first()
              .waitFor(),
        ],
      ];
      for (const [hash, name, ready] of pages) {
        await page.goto(rig.url(hash));
        await ready(page);
        await fitsWidth(page, `${name} at ${width}`);
        await screenshot(page, `30-${name}-${width}`);
      }
      await page.goto(rig.url('/collections/tasks'));
      await page.getByRole('cell', { name: 'Launch' }).click();
      await page.getByRole('dialog', { name: 'Edit tasks record' }).waitFor();
      await fitsWidth(page, `record-panel at ${width}`);
      await screenshot(page, `30-record-panel-${width}`);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Edit collection' }).click();
      const editor = page.getByRole('dialog', { name: 'Edit collection tasks' });
      await editor.getByRole('button', { name: 'Options of project' }).click();
      await fitsWidth(page, `collection-fields at ${width}`);
      await screenshot(page, `30-collection-fields-${width}`);
      await editor.getByRole('tab', { name: 'API Rules' }).click();
      await editor.getByLabel('View rule: superusers only').waitFor();
      await fitsWidth(page, `collection-rules at ${width}`);
      await screenshot(page, `30-collection-rules-${width}`);
      await page.goto(rig.url('/collections/users'));
      await page.getByRole('button', { name: 'Edit collection' }).click();
      await page.getByRole('dialog', { name: 'Edit collection users' }).getByRole('tab', { name: 'Options' }).click();
      await fitsWidth(page, `collection-options at ${width}`);
      await screenshot(page, `30-collection-options-${width}`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  void it('logged no console errors on the way', () => {
    assert.deepEqual(main.errors, []);
  });
});

/**
 * The page itself never scrolls sideways (a wide table scrolls inside its own box), and every visible form
 * control has a name (a label, aria-label or aria-labelledby).
 */
async function fitsWidth(page: Page, what: string): Promise<void> {
  const { scroll, inner, unlabelled } = await page.evaluate<{ scroll: number; inner: number; unlabelled: string[] }>(
    `({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      unlabelled: [...document.querySelectorAll('input, select, textarea, [contenteditable=true]')]
        .filter((el) => el.getClientRects().length > 0 && el.type !== 'hidden')
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
        .map((el) => el.outerHTML.slice(0, 100)),
    })`,
  );
  assert.ok(scroll <= inner, `${what}: the page is ${scroll} px wide`);
  assert.deepEqual(unlabelled, [], `${what}: controls without a label`);
}

/** Whether the element is focused or holds the focused element (the test code has no DOM types). */
function holdsFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const node = el as unknown as { contains(other: unknown): boolean; ownerDocument: { activeElement: unknown } };
    return node.contains(node.ownerDocument.activeElement);
  });
}
