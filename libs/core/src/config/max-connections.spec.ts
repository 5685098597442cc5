import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError, loadConfig } from './app-config';

void describe('NB_MAX_CONNECTIONS', () => {
  void it('defaults to 10 000 open connections a process', () => {
    assert.equal(loadConfig({}).http.maxConnections, 10_000);
  });

  void it('takes a configured cap', () => {
    assert.equal(loadConfig({ NB_MAX_CONNECTIONS: '50' }).http.maxConnections, 50);
  });

  void it('refuses 0, a negative or a non-number cap at boot', () => {
    for (const value of ['0', '-5', 'many']) {
      assert.throws(
        () => loadConfig({ NB_MAX_CONNECTIONS: value }),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assert.match(e.message, /NB_MAX_CONNECTIONS/);
          return true;
        },
      );
    }
  });
});
