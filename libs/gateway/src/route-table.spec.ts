import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ApiDocsModule } from '@lib/apidocs';
import { AuthApiModule } from '@lib/auth';
import { RealtimeModule } from '@lib/realtime';
import { OpsApiModule } from '@lib/ops';
import { RecordsApiModule } from '@lib/records';
import { FilesApiModule } from '@lib/storage';
import { isApiUrl, routeFor, type Route } from './route-table';

/** Every route of the controllers of `module`, with `:params` filled in. */
function routesOf(module: object): string[] {
  const controllers = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as (new () => object)[];
  const urls: string[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = controller.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(proto)) {
      const handler = proto[key];
      if (
        key === 'constructor' ||
        typeof handler !== 'function' ||
        Reflect.getMetadata(METHOD_METADATA, handler) === undefined
      ) {
        continue;
      }
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      urls.push(`/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/:[a-zA-Z]+/g, 'x1'));
    }
  }
  return urls;
}

void describe('routeFor', () => {
  const cases: [object, Route][] = [
    [AuthApiModule, 'auth'],
    [RecordsApiModule, 'records'],
    [OpsApiModule, 'records'],
    [ApiDocsModule, 'records'],
    [FilesApiModule, 'files'],
    [RealtimeModule, 'realtime'],
  ];
  for (const [module, service] of cases) {
    void it(`sends every route of ${service}'s controllers to ${service}`, () => {
      const urls = routesOf(module);
      assert.ok(urls.length > 0);
      for (const url of urls) {
        assert.equal(routeFor(url), service, url);
        assert.equal(routeFor(`${url}?a=1`), service, `${url}?a=1`);
      }
    });
  }

  void it('routes PocketBase paths by their shape', () => {
    assert.equal(routeFor('/api/collections/users/auth-with-password'), 'auth');
    assert.equal(routeFor('/api/collections/users/records/abc'), 'records');
    assert.equal(routeFor('/api/collections/auth_things/records'), 'records');
    assert.equal(routeFor('/api/collections/meta/scaffolds'), 'records');
    assert.equal(routeFor('/api/collections/users/request-otp'), 'auth');
    assert.equal(routeFor('/api/realtime?token=x'), 'realtime');
    assert.equal(routeFor('/api/files/token'), 'files');
    assert.equal(routeFor('/api/filesystem'), 'records');
    assert.equal(routeFor('/api/users/auth-via-email'), 'auth');
    assert.equal(routeFor('/api/batch'), 'records');
    assert.equal(routeFor('/api/logs/stats'), 'records');
    assert.equal(routeFor('/api/backups/x.zip/restore'), 'records');
    assert.equal(routeFor('/api/crons/__pbLogsCleanup__'), 'records');
    assert.equal(routeFor('/api/hk/custom-route'), 'records');
  });

  void it('blocks the internal API, also percent-encoded', () => {
    assert.equal(routeFor('/api/_internal/rule-check'), 'blocked');
    assert.equal(routeFor('/api/%5Finternal/render'), 'blocked');
    assert.equal(routeFor('/api/%5finternal'), 'blocked');
    assert.equal(routeFor('/api/%E0%A4%A'), 'records');
  });

  void it('tells API URLs from the rest', () => {
    assert.ok(isApiUrl('/api'));
    assert.ok(isApiUrl('/api/health'));
    assert.ok(isApiUrl('/api?x'));
    assert.ok(!isApiUrl('/apiary'));
    assert.ok(!isApiUrl('/_/'));
  });
});
