import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { checkMeta } from './settings-checks';

void describe('settings meta checks', () => {
  void it('accepts the defaults and ordinary values', () => {
    assert.deepEqual(
      checkMeta({
        meta: { appName: 'Acme', appURL: 'http://localhost:8090', senderName: 'Support', senderAddress: 'a@b.co' },
      }),
      {},
    );
    assert.deepEqual(checkMeta({ meta: { hideControls: true } }), {});
    assert.deepEqual(checkMeta({}), {});
  });

  void it('refuses what would break or inject into a mail header', () => {
    const found = checkMeta({
      meta: {
        appName: '',
        senderName: 'Evil\r\nBcc: victim@example.com',
        appURL: 'javascript:alert(1)',
        senderAddress: 'a@example.com\r\nBcc: victim@example.com',
      },
    }) as { meta: Record<string, { code: string }> };
    assert.deepEqual(Object.keys(found.meta).sort(), ['appName', 'appURL', 'senderAddress', 'senderName']);
    assert.ok(Object.values(found.meta).every((e) => e.code === 'validation_invalid_value'));
  });
});
