// Collection and application options in Chromium against a real `nestbase serve`: OAuth2 provider forms (saved with
// their extra settings, read back through the API, the secret kept when saved again without it), the settings page
// with hideControls,
// the view query preview, the records column picker and the wide-table scroll hint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_CEILING_MS } from '@lib/testing';
import type { Api } from './support/api';
import { clickAndAwait, openPage, screenshot, type WatchedPage } from './support/browser';
import { startRig, type Rig } from './support/rig';
import { signIn } from './support/sign-in';
import { TokenCatcher } from './support/token-catcher';

const SU = { email: 'options-admin@example.com', password: 'Admin-Passw0rd-1' };

interface Provider {
  name: string;
  clientId: string;
  displayName: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  pkce: boolean;
  extra?: Record<string, unknown>;
}

void describe('dashboard options in Chromium', { timeout: TEST_CEILING_MS }, () => {
  let rig: Rig;
  let api: Api;
  let main: WatchedPage;
  let catcher: TokenCatcher;
  const nav = (name: string) => main.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

  /** What the server sends the provider's token URL as client_secret when asked to finish an OAuth2 sign-in. */
  async function secretSent(): Promise<string | null> {
    const before = catcher.posts.length;
    const res = await api.call('POST', '/api/collections/users/auth-with-oauth2', {
      provider: 'oidc',
      code: 'some-code',
      codeVerifier: 'v'.repeat(43),
      redirectURL: 'http://127.0.0.1/redirect',
    });
    assert.equal(res.status, 400, JSON.stringify(res.json));
    // HTTP Basic first, then (refused) the form fields: both carry the same secret
    assert.ok(catcher.posts.length > before, 'the token URL was called');
    const sent = new Set(catcher.secrets.slice(before));
    assert.equal(sent.size, 1, 'one secret');
    return [...sent][0];
  }

  before(async () => {
    catcher = await TokenCatcher.start();
    rig = await startRig('dashboard-options', SU);
    api = rig.api;
    main = await openPage(rig.browser);
    await signIn(main.page, rig.url('/login'), SU);
  });

  after(async () => {
    await rig?.stop();
    await catcher?.stop();
  });

  void it('OAuth2 provider form: saved, read back, and its secret kept when saved again', async () => {
    const { page } = main;
    await page.goto(rig.url('/collections/users'));
    await page.getByRole('button', { name: 'Edit collection' }).click();
    const panel = page.getByRole('dialog', { name: 'Edit collection users' });
    await panel.getByRole('tab', { name: 'Options' }).click();
    await panel.getByLabel('Enable OAuth2').check();
    await panel.getByLabel('OAuth2 provider to add').selectOption({ label: 'OpenID Connect' });
    await panel.getByRole('button', { name: '+ Add provider' }).click();
    await panel.getByLabel('OpenID Connect client ID').fill('dash-client');
    await panel.getByLabel('OpenID Connect client secret').fill('dash-secret-1');
    await panel.getByLabel('OpenID Connect Auth URL').fill('https://id.example.com/authorize');
    await panel.getByLabel('OpenID Connect Token URL').fill(`${catcher.url}/token`);
    await panel.getByLabel('OpenID Connect User info URL').fill('https://id.example.com/userinfo');
    await panel.getByLabel('OpenID Connect JWKS URL').fill('https://id.example.com/jwks');
    await panel.getByLabel('OpenID Connect Issuers').fill('https://id.example.com https://login.example.com');
    await panel.getByLabel('OpenID Connect: use PKCE').uncheck();
    await panel.getByText('Optional fields of new users filled from the provider').click();
    await panel.getByLabel('OAuth2 full name').selectOption('name');
    await screenshot(page, '20-oauth2-provider');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await panel.waitFor({ state: 'detached' });

    const users = await api.ok<{
      oauth2: { enabled: boolean; providers: Record<string, unknown>[]; mappedFields: Record<string, string> };
    }>('GET', '/api/collections/users');
    assert.equal(users.oauth2.enabled, true);
    assert.equal(users.oauth2.mappedFields.name, 'name');
    assert.equal(users.oauth2.providers.length, 1);
    const saved = users.oauth2.providers[0] as unknown as Provider;
    assert.deepEqual(
      [saved.name, saved.clientId, saved.authURL, saved.tokenURL, saved.userInfoURL, saved.pkce],
      [
        'oidc',
        'dash-client',
        'https://id.example.com/authorize',
        `${catcher.url}/token`,
        'https://id.example.com/userinfo',
        false,
      ],
    );
    assert.ok(!('clientSecret' in saved), 'the secret is never read back');
    const extra = {
      jwksURL: 'https://id.example.com/jwks',
      issuers: 'https://id.example.com https://login.example.com',
    };
    assert.deepEqual(saved.extra, extra, 'the extra settings');
    assert.equal(await secretSent(), 'dash-secret-1');

    // Edit the display name only: the blank secret input keeps the stored secret.
    await page.getByRole('button', { name: 'Edit collection' }).click();
    await panel.getByRole('tab', { name: 'Options' }).click();
    await panel.getByText('OpenID Connect', { exact: true }).click();
    await panel.getByLabel('OpenID Connect display name').fill('Company SSO');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await panel.waitFor({ state: 'detached' });
    const methods = await api.ok<{ oauth2: { providers: { name: string; displayName: string }[] } }>(
      'GET',
      '/api/collections/users/auth-methods',
    );
    assert.deepEqual(
      methods.oauth2.providers.map((p) => [p.name, p.displayName]),
      [['oidc', 'Company SSO']],
    );
    assert.equal(await secretSent(), 'dash-secret-1');
    const again = await api.ok<{ oauth2: { providers: { extra?: unknown }[] } }>('GET', '/api/collections/users');
    assert.deepEqual(again.oauth2.providers[0].extra, extra, 'the extra settings kept, shown in their inputs');
  });

  void it('settings: the application name saves, and hideControls hides the collection controls', async () => {
    const { page } = main;
    await nav('Settings').click();
    const app = page.getByRole('form', { name: 'Application' });
    await app.getByLabel('Application name').fill('Dash Test App');
    await app.getByLabel('Hide collection create and edit controls').check();
    await app.getByRole('button', { name: 'Save application settings' }).click();
    await page.getByRole('status').getByText('Successfully saved settings.').waitFor();
    await screenshot(page, '21-settings');
    const settings = await api.ok<{ meta: { appName: string; hideControls: boolean } }>('GET', '/api/settings');
    assert.deepEqual([settings.meta.appName, settings.meta.hideControls], ['Dash Test App', true]);

    await nav('Collections').click();
    await page.getByRole('table', { name: 'users records' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Edit collection' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '+ New collection' }).count(), 0);
    await nav('Settings').click();
    await app.getByLabel('Hide collection create and edit controls').uncheck();
    const save = app.getByRole('button', { name: 'Save application settings' });
    await clickAndAwait(page, save, 'PATCH', '/api/settings', 'Successfully saved settings.');
    await nav('Collections').click();
    await page.getByRole('button', { name: 'Edit collection' }).waitFor();
    await page.getByRole('button', { name: '+ New collection' }).waitFor();
  });

  void it('view query preview shows the first rows, or the server error at the query', async () => {
    const { page } = main;
    await api.ok('POST', '/api/collections', {
      name: 'wide',
      listRule: '',
      fields: 'abcdefghijkl'.split('').map((c) => ({ name: `column_${c}_with_a_long_name`, type: 'text' })),
    });
    for (const n of [1, 2]) {
      await api.ok('POST', '/api/collections/wide/records', { column_a_with_a_long_name: `row ${n}` });
    }
    await page.goto(rig.url('/collections/wide'));
    await page.getByRole('button', { name: '+ New collection' }).click();
    const panel = page.getByRole('dialog', { name: 'New collection' });
    await panel.getByLabel('Type').selectOption('view');
    const editor = panel.getByRole('textbox', { name: 'Select query' });
    await editor.click();
    await editor.pressSequentially('SELECT id, column_a_with_a_long_name AS a FROM nowhere', { delay: 0 });
    await panel.getByRole('button', { name: 'Preview' }).click();
    await panel
      .getByRole('alert')
      .filter({ hasText: /no such table: (main\.)?nowhere/ })
      .waitFor();
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await editor.pressSequentially('SELECT id, column_a_with_a_long_name AS a FROM wide ORDER BY a', { delay: 0 });
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('table', { name: 'View query preview' });
    await preview.getByRole('cell', { name: 'row 2' }).waitFor();
    assert.deepEqual(
      (await preview.getByRole('columnheader').allInnerTexts()).map((t) => t.trim()),
      ['id text', 'a text'],
    );
    await screenshot(page, '22-view-preview');
    // Unsaved changes: closing asks first; "No" keeps the panel, "Yes, discard" closes it.
    await panel.getByRole('button', { name: 'Cancel' }).click();
    const ask = page.getByRole('alertdialog').filter({ hasText: 'You have unsaved changes' });
    await ask.getByRole('button', { name: 'No' }).click();
    await ask.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await ask.getByRole('button', { name: 'Yes, discard' }).click();
    await panel.waitFor({ state: 'detached' });
    const list = await api.ok<{ items: { type: string }[] }>('GET', '/api/collections?perPage=200');
    assert.ok(!list.items.some((c) => c.type === 'view'), 'the preview saved nothing');
  });

  void it('records: a wide table says it scrolls; the column picker hides columns and remembers it', async () => {
    const { page } = main;
    const table = page.getByRole('table', { name: 'wide records' });
    await table.getByRole('cell', { name: 'row 1' }).waitFor();
    const hint = page.getByText('Scroll for more columns →');
    await hint.waitFor();
    await screenshot(page, '23-wide-table');
    await page.getByRole('button', { name: /^Columns/ }).click();
    for (const c of 'bcdefghijkl'.split('')) {
      await page.getByRole('checkbox', { name: `column_${c}_with_a_long_name` }).uncheck();
    }
    await page.getByRole('button', { name: /^Columns/ }).click();
    await hint.waitFor({ state: 'detached' });
    await page.reload();
    await table.getByRole('cell', { name: 'row 1' }).waitFor();
    const headers = (await table.getByRole('columnheader').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    assert.ok(headers.some((h) => h.includes('column_a_with_a_long_name')));
    assert.ok(!headers.some((h) => h.includes('column_b_with_a_long_name')), headers.join(' | '));
    const all = (await api.ok<{ fields: unknown[] }>('GET', '/api/collections/wide')).fields.length;
    await page.getByRole('button', { name: `Columns (${all - 11}/${all})` }).waitFor();
    await screenshot(page, '24-columns-picked');
  });

  void it('logged no console errors on the way', () => {
    assert.deepEqual(main.errors, []);
  });
});
