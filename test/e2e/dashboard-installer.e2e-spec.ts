// The dashboard's first-run installer link printed by `nestbase serve`: only while no superuser exists,
// a 30-minute superuser token that dies with the first real superuser (CLI, PB_ADMIN_*, or the installer form).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bannerText, runCli, startNestbase, waitForBanner, type ManagedProcess } from '@lib/testing';

const LINK = /^http:\/\/127\.0\.0\.1:\d+\/_\/#\/pbinstall\/([\w-]+\.[\w-]+\.[\w-]+)$/m;

/**
 * Everything the start-up prints is in: the installer link is logged right after the "started at" banner, in
 * the same tick, so by the time the server answers a request after it, both are in the pipe (no fixed wait).
 */
async function startupPrinted(server: ManagedProcess): Promise<void> {
  await waitForBanner(server, /^Dashboard: http/m);
  await (await fetch(`${server.baseUrl}/api/health`)).arrayBuffer();
}

function claims(token: string): { exp: number; refreshable?: boolean } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; refreshable?: boolean };
}

void describe('dashboard installer link', { timeout: 300_000 }, () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestbase-installer-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  void it('is printed with no superuser, works 30 minutes, and dies with the first real superuser', async () => {
    const dir = newDir();
    const server = await startNestbase(dir);
    try {
      const token = (await waitForBanner(server, LINK))[1];
      const { exp, refreshable } = claims(token);
      const left = exp - Date.now() / 1000;
      assert.ok(left > 1700 && left <= 1800, `expires in ${left} s`);
      assert.equal(refreshable, false);
      const asInstaller = () => fetch(`${server.baseUrl}/api/collections`, { headers: { Authorization: token } });
      assert.equal((await asInstaller()).status, 200);
      // The placeholder can't sign in with a password.
      const login = await fetch(`${server.baseUrl}/api/collections/_superusers/auth-with-password`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ identity: '__pbinstaller@example.com', password: '' }),
      });
      assert.equal(login.status, 400);
      const cli = await runCli(['superuser', 'upsert', 'root@example.com', 'Root-Passw0rd-1', '--dir', dir]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal((await asInstaller()).status, 401);
    } finally {
      await server.stop();
    }
    const again = await startNestbase(dir);
    try {
      await startupPrinted(again);
      assert.doesNotMatch(bannerText(again.stdout()), /pbinstall|No superuser yet/);
    } finally {
      await again.stop();
    }
  });

  void it('the installer token creates the first superuser once (as the installer form does)', async () => {
    const server = await startNestbase(newDir());
    try {
      const token = (await waitForBanner(server, LINK))[1];
      const create = (email: string) =>
        fetch(`${server.baseUrl}/api/collections/_superusers/records`, {
          method: 'POST',
          headers: { Authorization: token, 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, password: 'First-Passw0rd-1', passwordConfirm: 'First-Passw0rd-1' }),
        });
      assert.equal((await create('first@example.com')).status, 200);
      // The link is dead: the token's record is gone, the request is a guest's (403 on a superuser-only create).
      assert.equal((await create('second@example.com')).status, 403);
    } finally {
      await server.stop();
    }
  });

  void it('is not printed when PB_ADMIN_* creates the superuser', async () => {
    const server = await startNestbase(newDir(), [], {
      env: { PB_ADMIN_EMAIL: 'env@example.com', PB_ADMIN_PASSWORD: 'Env-Passw0rd-123' },
    });
    try {
      await startupPrinted(server);
      assert.doesNotMatch(bannerText(server.stdout()), /pbinstall|No superuser yet/);
    } finally {
      await server.stop();
    }
  });
});
