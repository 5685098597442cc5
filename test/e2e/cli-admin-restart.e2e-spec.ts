// PB_ADMIN_EMAIL/PB_ADMIN_PASSWORD upsert the superuser at every start; an unchanged password must not
// rotate its tokenKey, or every restart would sign all superusers out. A changed one does rotate it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, startNestbase, TEST_CEILING_MS, tokenFor } from '@lib/testing';

const EMAIL = 'restart-admin@example.com';
const PASSWORD = 'Restart-Admin-Passw0rd';
let dir = '';

async function tokenWorks(baseUrl: string, token: string): Promise<boolean> {
  const res = await new HttpClient(baseUrl).request('POST', '/api/collections/_superusers/auth-refresh', { token });
  return res.status === 200;
}

void describe('PB_ADMIN_* across restarts', { timeout: TEST_CEILING_MS }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-admin-restart-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  void it('keeps superuser tokens valid with the same password, invalidates them with a new one', async () => {
    const env = { PB_ADMIN_EMAIL: EMAIL, PB_ADMIN_PASSWORD: PASSWORD };
    const first = await startNestbase(dir, [], { env });
    const token = await tokenFor(new HttpClient(first.baseUrl), '_superusers', EMAIL, PASSWORD);
    await first.stop();

    const second = await startNestbase(dir, [], { env });
    try {
      assert.equal(await tokenWorks(second.baseUrl, token), true, 'same password: the old token still works');
    } finally {
      await second.stop();
    }

    const third = await startNestbase(dir, [], { env: { ...env, PB_ADMIN_PASSWORD: `${PASSWORD}-new` } });
    try {
      assert.equal(await tokenWorks(third.baseUrl, token), false, 'new password: the old token is refused');
    } finally {
      await third.stop();
    }
  });
});
