// pb_hooks in the distributed set: one PocketBase-style file (test/e2e/support/jsvm-split-files.ts) given to every
// service as the compose file's `/pb_hooks` volume; the realtime replicas fire the connect and message-send hooks
// (subscriptions forwarded between replicas too), the files service the token and download hooks, the auth service
// the auth-refresh hook, the records service the enrich hook (also for realtime messages, which it renders). The
// same checks run in standalone (test/e2e/hooks-jsvm-split.e2e-spec.ts).
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { HttpClient, TEST_CEILING_MS, tokenFor } from '@lib/testing';

import { installEventSource } from '../e2e/support/realtime-helpers';
import { writeHooksDir } from '../e2e/support/hooks-files';
import { CollectionHookChecks, JSVM_COLLECTIONS } from '../e2e/support/jsvm-collection-checks';
import { confirmHooksCheck } from '../e2e/support/jsvm-confirm-check';
import { oauth2HookCheck } from '../e2e/support/jsvm-oauth2-check';
import { SplitHookChecks } from '../e2e/support/jsvm-split-checks';
import { JSVM_SPLIT } from '../e2e/support/jsvm-split-files';
import { ServiceSet, SUPERUSER } from './support/service-set';

installEventSource();

const TIMEOUT = { timeout: TEST_CEILING_MS };

void describe('pb_hooks in the distributed set (realtime, files, auth, records)', { timeout: 20 * 60_000 }, () => {
  const set = new ServiceSet();
  const hooks = writeHooksDir({ 'split.pb.js': JSVM_SPLIT, 'collections.pb.js': JSVM_COLLECTIONS });
  let checks: SplitHookChecks;
  let collections: CollectionHookChecks;
  let su = '';

  before(async () => {
    await set.start({ hooksDir: hooks });
    su = await tokenFor(new HttpClient(set.gatewayUrl), '_superusers', SUPERUSER.email, SUPERUSER.password);
    checks = new SplitHookChecks(set.gatewayUrl, su);
    await checks.setUp();
    collections = new CollectionHookChecks(set.gatewayUrl, su);
  });

  after(async () => {
    await set.stop();
    rmSync(hooks, { recursive: true, force: true });
  });

  void it('realtime service: onRealtimeConnectRequest refuses a stream or shortens its idle timeout', TIMEOUT, () =>
    checks.realtimeConnect(),
  );
  void it('realtime service: onRealtimeMessageSend; records service: onRecordEnrich', TIMEOUT, () =>
    checks.realtimeMessagesAndEnrich(),
  );
  void it('auth service: onRecordAuthRefreshRequest', TIMEOUT, () => checks.authRefresh());
  void it('auth service: onRecordAuthWithPasswordRequest before the password check', TIMEOUT, () =>
    checks.authWithPassword(),
  );
  void it('auth service: onRecordAuthWithOAuth2Request before the account is written', TIMEOUT, () =>
    oauth2HookCheck(set.gatewayUrl, su),
  );
  void it('auth service: the request hooks of password reset, verification, email change', TIMEOUT, () =>
    checks.authFlows(),
  );
  void it('files service: onFileTokenRequest and onFileDownloadRequest', TIMEOUT, () => checks.files());
  void it('records service: onCollectionsListRequest and onCollectionViewRequest', TIMEOUT, () => collections.reads());
  void it('records service: onCollectionsImportRequest', TIMEOUT, () => collections.imports());
  void it('records service: onCollectionValidate and onCollectionAfterCreate/Update/DeleteError', TIMEOUT, () =>
    collections.validateAndErrors(),
  );
  void it('auth service: the confirm hooks of password reset, verification, email change; OTP sign-in', TIMEOUT, () =>
    confirmHooksCheck(set.gatewayUrl, su),
  );
});
