// /api/docs in Chromium: Swagger UI from the bundled swagger-ui-dist, under its strict CSP (a violation is a console
// error), reading /api/openapi.json with the dashboard's stored superuser sign-in, or with a #token= in the address.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_CEILING_MS } from '@lib/testing';
import type { Page } from 'playwright-core';
import { clickAndAwait, eventually, openPage, screenshot } from './support/browser';
import { startRig, type Rig } from './support/rig';
import { signIn } from './support/sign-in';

const SU = { email: 'docs-admin@example.com', password: 'Docs-Passw0rd-1' };

/** Waits for the operations of the `users` collection: the document was fetched and rendered. */
async function rendered(page: Page): Promise<void> {
  await page.getByText('/api/collections/users/records/{id}', { exact: true }).first().waitFor();
  assert.equal(await page.locator('#nb-docs-hint').count(), 0, 'the sign-in hint is gone');
}

void describe('/api/docs in Chromium', { timeout: TEST_CEILING_MS }, () => {
  let rig: Rig;

  before(async () => {
    rig = await startRig('api-docs', SU);
  });
  after(async () => {
    await rig?.stop();
  });

  void it('without a sign-in: the page says how to get in, and shows no operations', async () => {
    const { page, context, errors } = await openPage(rig.browser);
    try {
      await page.goto(`${rig.server.baseUrl}/api/docs`);
      await page.getByText('Failed to load API definition').first().waitFor();
      assert.ok(await page.locator('#nb-docs-hint').isVisible());
      assert.equal(await page.getByText('/api/collections/users/records', { exact: true }).count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  void it("with the dashboard's sign-in: the document of the live collections", async () => {
    const { page, context, errors } = await openPage(rig.browser);
    try {
      await signIn(page, rig.url('/login'), SU);
      await page.goto(`${rig.server.baseUrl}/api/docs`);
      await rendered(page);
      await screenshot(page, 'api-docs');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  void it('with #token=: the document, and the token leaves the address bar', async () => {
    const { page, context, errors } = await openPage(rig.browser);
    try {
      await page.goto(`${rig.server.baseUrl}/api/docs#token=${rig.api.token}`);
      await rendered(page);
      assert.doesNotMatch(page.url(), /token=/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  void it('the settings page makes the document public, and private again', async () => {
    const { page, context, errors } = await openPage(rig.browser);
    const anonymous = async () => (await fetch(`${rig.server.baseUrl}/api/openapi.json`)).status;
    try {
      assert.equal(await anonymous(), 401);
      await signIn(page, rig.url('/login'), SU);
      await page.goto(rig.url('/settings'));
      // The form renders once GET /api/settings answered (the toggle is there only when `openapi` is).
      const form = page.getByRole('form', { name: 'Application' });
      await eventually(
        async () => (await form.getByLabel('Application name').inputValue()) !== '',
        'the application settings loaded',
      );
      const toggle = form.getByLabel('Public API documentation');
      const save = page.getByRole('button', { name: 'Save application settings' });
      assert.equal(await toggle.isChecked(), false);
      await toggle.check();
      await clickAndAwait(page, save, 'PATCH', '/api/settings', 'Successfully saved settings.');
      assert.equal(await anonymous(), 200);
      await toggle.uncheck();
      await clickAndAwait(page, save, 'PATCH', '/api/settings', 'Successfully saved settings.');
      assert.equal(await anonymous(), 401);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
