// The PocketBase tutorial's `todos` collection, built through the dashboard as a user would.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot } from './browser';

const OWNER_ONLY = 'owner = @request.auth.id';
const SIGNED_IN_OWNER = '@request.auth.id != "" && owner = @request.auth.id';

async function addField(page: Page, type: string, name: string): Promise<void> {
  const panel = page.getByRole('dialog', { name: 'New collection' });
  await panel.getByRole('button', { name: '+ New field' }).click();
  await panel.getByRole('menuitem', { name: type }).click();
  const input = panel.getByLabel(`Field name (${type})`).last();
  await input.fill(name);
}

async function setRule(page: Page, label: string, rule: string): Promise<void> {
  const panel = page.getByRole('dialog', { name: 'New collection' });
  await panel.getByLabel(`${label}: superusers only`).uncheck();
  const editor = panel.getByRole('textbox', { name: label, exact: true });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await editor.pressSequentially(rule, { delay: 0 });
  // Leave the editor (closing any suggestion list) without Escape, which would close the panel when no list is open.
  await panel.getByText(label, { exact: true }).click();
}

export async function buildTodosCollection(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/_/#/collections`);
  await page.getByRole('heading', { name: 'users' }).waitFor();
  await screenshot(page, '04a-collections');
  await page.getByRole('button', { name: '+ New collection' }).click();
  const panel = page.getByRole('dialog', { name: 'New collection' });
  await panel.getByLabel('Name', { exact: true }).fill('todos');

  await addField(page, 'Plain text', 'title');
  await panel.getByLabel('Nonempty').check();
  await addField(page, 'Bool', 'completed');
  await addField(page, 'Relation', 'owner');
  await panel.getByLabel('Related collection').selectOption({ label: 'users' });
  await panel.getByLabel('Nonempty').check();
  await addField(page, 'File', 'attachment');
  await panel.getByLabel('Allowed MIME types').fill('image/png, image/jpeg');
  await screenshot(page, '08-collection-fields');

  await panel.getByRole('tab', { name: 'API Rules' }).click();
  // Autocomplete: fields, @request.*, macros.
  await panel.getByLabel('List/Search rule: superusers only').uncheck();
  const list = panel.getByRole('textbox', { name: 'List/Search rule', exact: true });
  await list.click();
  await list.pressSequentially('@request.au');
  await page
    .getByRole('option', { name: /@request\.auth\./ })
    .first()
    .waitFor();
  await panel.getByText('List/Search rule', { exact: true }).click();

  // An invalid rule: the server's message is shown at that rule.
  await setRule(page, 'List/Search rule', 'nosuchfield = 1');
  await panel.getByRole('button', { name: 'Create' }).click();
  const listError = panel
    .getByRole('alert')
    .filter({ hasText: /nosuchfield|invalid|unknown/i })
    .first();
  await listError.waitFor();
  const described = await list.getAttribute('aria-invalid');
  assert.equal(described, 'true');
  await screenshot(page, '09-rule-error');

  await setRule(page, 'List/Search rule', SIGNED_IN_OWNER);
  await setRule(page, 'View rule', SIGNED_IN_OWNER);
  await setRule(page, 'Create rule', SIGNED_IN_OWNER);
  await setRule(page, 'Update rule', OWNER_ONLY);
  await setRule(page, 'Delete rule', OWNER_ONLY);
  await panel.getByRole('button', { name: 'Create' }).click();
  await panel.waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: 'todos' }).waitFor();
}
