// The dashboard's operations pages in Chromium against a real `nestbase serve`: logs (a request made
// elsewhere listed, the hourly chart, the detail panel), backups (create, list, download through a file
// token, delete, upload) and crons (a hook job run from the page). Checked through the API as well.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_CEILING_MS } from '@lib/testing';
import { writeHooksDir } from '../e2e/support/hooks-files';
import type { Api } from './support/api';
import { eventually, openPage, screenshot, type WatchedPage } from './support/browser';
import { startRig, type Rig } from './support/rig';
import { signIn } from './support/sign-in';

const SU = { email: 'ops-admin@example.com', password: 'Admin-Passw0rd-1' };

void describe('dashboard operations pages in Chromium', { timeout: TEST_CEILING_MS }, () => {
  const ranFile = join(mkdtempSync(join(tmpdir(), 'nestbase-dashboard-ops-hooks-')), 'ran.log');
  let rig: Rig;
  let api: Api;
  let main: WatchedPage;

  before(async () => {
    const hooks = writeHooksDir({
      'jobs.pb.js': `const fs = require('node:fs');
module.exports = (app) => {
  app.cronAdd('nightly_report', '0 3 * * *', (e) => fs.appendFileSync(${JSON.stringify(ranFile)}, e.name + '\\n'));
};
`,
    });
    rig = await startRig('dashboard-ops', SU, { NB_HOOKS_DIR: hooks });
    api = rig.api;
    main = await openPage(rig.browser);
    await signIn(main.page, rig.url('/login'), SU);
  });

  after(async () => {
    await rig?.stop();
    rmSync(dirname(ranFile), { recursive: true, force: true });
  });

  void it('logs: a request made elsewhere is listed, charted and shown in detail', async () => {
    const { page } = main;
    const probe = await fetch(`${rig.server.baseUrl}/api/collections/nope_logs_probe/records`);
    assert.equal(probe.status, 404);
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    const row = page.getByRole('row', { name: /nope_logs_probe/ });
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('table', { name: 'Logs' }).and(page.locator('[aria-busy=false]')).waitFor();
      return (await row.count()) === 1;
    }, 'the probe request in the logs table');
    await row.getByText('status: 404').waitFor();
    // The chart counts it in the current hour's bar, the last of 24 (each bar is an image named by its count).
    const chart = page.getByRole('group', { name: /Logs per hour chart, [1-9]\d* logs? in the last 24 hours/ });
    const bars = chart.getByRole('img');
    await chart.waitFor();
    assert.equal(await bars.count(), 24);
    assert.match((await bars.last().getAttribute('aria-label')) ?? '', /: [1-9]\d* logs?$/);
    assert.ok(Number(await bars.last().getAttribute('height')) > 0, 'the current hour is drawn');
    assert.match((await bars.first().getAttribute('aria-label')) ?? '', /: 0 logs$/);
    await screenshot(page, '10-logs');
    // The chart's window is chosen, and it follows the filter.
    await page.getByLabel('Chart range').selectOption({ label: 'Last 7 days' });
    const week = page.getByRole('group', { name: /Logs per hour chart, [1-9]\d* logs? in the last 7 days/ });
    await week.waitFor();
    assert.equal(await week.getByRole('img').count(), 168);
    await screenshot(page, '10b-logs-week');
    await page.getByLabel('Chart range').selectOption({ label: 'All kept logs' });
    await page.getByLabel('Filter logs').fill('data.url ~ "nope_logs_probe"');
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'Logs per hour chart, 1 log in all kept logs' }).waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Chart range').selectOption({ label: 'Last 24 hours' });

    await row.click();
    const panel = page.getByRole('dialog', { name: 'Log details' });
    await panel.getByRole('row', { name: /data\.url \/api\/collections\/nope_logs_probe\/records/ }).waitFor();
    await panel.getByRole('row', { name: /data\.status 404/ }).waitFor();
    await screenshot(page, '11-log-detail');
    await panel.getByRole('button', { name: 'Close', exact: true }).click();

    // A bad filter shows the server's message; the superusers toggle brings the dashboard's own requests in.
    await page.getByLabel('Filter logs').fill('nope = 1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /filter/i })
      .waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Include requests by superusers').check();
    await page
      .getByRole('row', { name: /GET \/api\/logs.*auth: _superusers/ })
      .first()
      .waitFor();
  });

  void it('backups: create, list, download, reject a bad name, delete and upload back', async () => {
    const { page } = main;
    await page.goto(rig.url('/settings/crons'));
    await page.getByRole('link', { name: 'Backups' }).click();
    await page.getByRole('heading', { name: 'Backups' }).waitFor();
    await page.getByText('No backups yet.').waitFor();

    await page.getByRole('button', { name: '+ New backup' }).click();
    await page.getByLabel('Backup name').fill('Bad Name.zip');
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.getByRole('alert').filter({ hasText: 'Must be in the format' }).waitFor();
    await page.getByLabel('Backup name').fill('e2e_backup.zip');
    await page.getByRole('button', { name: 'Start backup' }).click();
    const item = page.getByRole('listitem', { name: 'e2e_backup.zip' });
    await item.waitFor();
    const listed = await api.ok<{ key: string; size: number }[]>('GET', '/api/backups');
    assert.deepEqual(
      listed.map((b) => b.key),
      ['e2e_backup.zip'],
    );
    await screenshot(page, '12-backups');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item.getByRole('button', { name: 'Download e2e_backup.zip' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'e2e_backup.zip');
    const saved = join(rig.dir, 'downloaded.zip');
    await download.saveAs(saved);
    assert.equal(statSync(saved).size, listed[0].size);
    assert.equal(readFileSync(saved).subarray(0, 2).toString(), 'PK');

    await item.getByRole('button', { name: 'Delete e2e_backup.zip' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No backups yet.').waitFor();
    assert.deepEqual(await api.ok('GET', '/api/backups'), []);

    await page.getByLabel('Upload backup').setInputFiles(saved);
    await page.getByRole('listitem', { name: 'downloaded.zip' }).waitFor();
    const uploaded = await api.ok<{ key: string; size: number }[]>('GET', '/api/backups');
    assert.deepEqual(
      uploaded.map((b) => [b.key, b.size]),
      [['downloaded.zip', listed[0].size]],
    );
  });

  void it('backups: auto backup options save; a bad cron shows the server message at the field', async () => {
    const { page } = main;
    await page.goto(rig.url('/settings/backups'));
    const form = page.getByRole('form', { name: 'Backup options' });
    await form.getByLabel('Enable auto backups').check();
    await form.getByLabel('Cron expression').fill('not a cron');
    await form.getByRole('button', { name: 'Save backup options' }).click();
    await form.getByRole('alert').waitFor();
    assert.equal(await form.getByLabel('Cron expression').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Presets').selectOption({ label: 'Every Sunday at 00:00' });
    await form.getByLabel('Max @auto backups to keep').fill('5');
    await form.getByRole('button', { name: 'Save backup options' }).click();
    await page.getByRole('status').getByText('Successfully saved the backup options.').waitFor();
    await screenshot(page, '12b-backup-options');
    const saved = await api.ok<{ backups: { cron: string; cronMaxKeep: number } }>('GET', '/api/settings');
    assert.deepEqual([saved.backups.cron, saved.backups.cronMaxKeep], ['0 0 * * 0', 5]);
    await form.getByLabel('Enable auto backups').uncheck();
    await form.getByRole('button', { name: 'Save backup options' }).click();
    await eventually(
      async () => (await api.ok<{ backups: { cron: string } }>('GET', '/api/settings')).backups.cron === '',
      'auto backups off',
    );
  });

  void it('crons: lists the jobs and runs one now', async () => {
    const { page } = main;
    await page.getByRole('link', { name: 'Crons' }).click();
    const table = page.getByRole('table', { name: 'Cron jobs' });
    await table.getByRole('row', { name: /nightly_report 0 3 \* \* \*/ }).waitFor();
    await table.getByRole('row', { name: /__pbLogsCleanup__/ }).waitFor();
    await screenshot(page, '13-crons');
    assert.ok(!existsSync(ranFile));
    await table.getByRole('button', { name: 'Run nightly_report' }).click();
    await page.getByRole('status').getByText('Started nightly_report.').waitFor();
    await eventually(
      async () => existsSync(ranFile) && readFileSync(ranFile, 'utf8') === 'nightly_report\n',
      'job ran',
    );
  });

  void it('backups: restore, after a confirm, brings the data of the backup back and reloads the page', async () => {
    const { page } = main;
    const user = (email: string) => ({ email, password: 'User-Passw0rd-1', passwordConfirm: 'User-Passw0rd-1' });
    await api.ok('POST', '/api/collections/users/records', user('before@example.com'));
    await api.ok('POST', '/api/backups', { name: 'restore_me.zip' });
    await api.ok('POST', '/api/collections/users/records', user('after@example.com'));
    await page.goto(rig.url('/settings/backups'));
    await page
      .getByRole('listitem', { name: 'restore_me.zip' })
      .getByRole('button', { name: 'Restore restore_me.zip' })
      .click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/Do you really want to restore restore_me\.zip\?/).waitFor();
    await screenshot(page, '14-restore-confirm');
    await Promise.all([
      page.waitForEvent('load', { timeout: 60_000 }),
      dialog.getByRole('button', { name: 'Yes, restore' }).click(),
    ]);
    await page.getByRole('listitem', { name: 'restore_me.zip' }).waitFor();
    const users = await api.ok<{ items: { email: string }[] }>('GET', '/api/collections/users/records');
    assert.deepEqual(
      users.items.map((u) => u.email),
      ['before@example.com'],
    );
  });

  void it('logged no console errors on the way', () => {
    // While the app restarts after the restore, the health polls meet a closed port: the browser logs those.
    const restart = /net::ERR_(CONNECTION_REFUSED|EMPTY_RESPONSE|CONNECTION_RESET)/;
    assert.deepEqual(
      main.errors.filter((e) => !restart.test(e)),
      [],
    );
  });
});
