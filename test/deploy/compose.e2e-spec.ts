// docker-compose.yml as an operator runs it: no insecure default for a secret (compose refuses to start until each is
// set, `${VAR:?message}`), every image pinned to a release (nestbase's own to package.json's version).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { interpolate } from '../distributed/support/compose-file';
import { Yaml, compose, readText } from './deploy-files';

const SECRETS = ['NB_INTERNAL_SECRET', 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'];
const text = readText('docker-compose.yml');
const services = Object.entries<Yaml>(compose().services);
const version = (JSON.parse(readText('package.json')) as { version: string }).version;

void describe('docker-compose.yml', () => {
  void it('requires every secret instead of defaulting it', () => {
    for (const name of SECRETS) {
      const uses = [...text.matchAll(new RegExp(`\\$\\{${name}(:?[-?])?([^}]*)\\}`, 'g'))];
      assert.ok(uses.length > 0, `${name} is used`);
      for (const use of uses) {
        assert.equal(use[1], ':?', `${use[0]}: required, with a message`);
        assert.ok(use[2].trim().length > 0, `${use[0]}: the message says what to set`);
      }
    }
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries<unknown>(service.environment ?? {})) {
        if (/SECRET|PASSWORD|ACCESS_KEY/.test(key) && key !== 'PB_ADMIN_PASSWORD') {
          assert.match(String(value), /^\$\{[A-Z_]+:\?/, `${name}.${key} comes from a required variable`);
        }
      }
    }
    assert.doesNotMatch(text, /change-me|nestbase-secret/, 'no placeholder secret left');
  });

  void it('refuses to interpolate without a secret, and names it', () => {
    const vars = { NB_INTERNAL_SECRET: 'x'.repeat(32), MINIO_ROOT_USER: 'minio', MINIO_ROOT_PASSWORD: 'p'.repeat(16) };
    assert.doesNotThrow(() => interpolate(text, vars));
    for (const name of SECRETS) {
      assert.throws(() => interpolate(text, { ...vars, [name]: undefined }), new RegExp(`${name} is missing`));
      assert.throws(() => interpolate(text, { ...vars, [name]: '' }), new RegExp(`${name} is missing`));
    }
  });

  void it('pins every image to a release: no latest, no bare major; nestbase at the package version', () => {
    for (const [name, service] of services) {
      const image = String(service.image ?? '');
      const [repository, tag = ''] = image.split(/:(?=[^/]*$)/);
      assert.ok(tag !== '' && tag !== 'latest', `${name}: ${image} has a pinned tag`);
      if (repository === 'nestbase') {
        assert.equal(tag, version, `${name}: nestbase's tag is package.json's version`);
      } else {
        assert.match(tag, /^(\d+\.\d+\.\d+|RELEASE\.\d{4}-\d\d-\d\dT[\d-]+Z)/, `${name}: ${image} names a release`);
      }
    }
  });
});
