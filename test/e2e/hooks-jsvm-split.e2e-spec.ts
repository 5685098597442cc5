// The realtime (connect, message send), auth-refresh, enrich and file hook points of a PocketBase-style file, in
// standalone; test/distributed/hooks.e2e-spec.ts runs the same checks through the distributed set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, ManagedProcess, startNestbase, TEST_CEILING_MS, tokenFor } from '@lib/testing';

import { writeHooksDir } from './support/hooks-files';
import { CollectionHookChecks, JSVM_COLLECTIONS } from './support/jsvm-collection-checks';
import { confirmHooksCheck } from './support/jsvm-confirm-check';
import { oauth2HookCheck } from './support/jsvm-oauth2-check';
import { SplitHookChecks } from './support/jsvm-split-checks';
import { JSVM_SPLIT } from './support/jsvm-split-files';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'jsvm-split@example.com', PB_ADMIN_PASSWORD: 'Jsvm-Split-Passw0rd' };

void describe('realtime, file, auth-refresh and enrich hooks of a PocketBase-style file (standalone)', () => {
  const work = mkdtempSync(join(tmpdir(), 'nb-jsvm-split-'));
  const hooks = writeHooksDir({ 'split.pb.js': JSVM_SPLIT, 'collections.pb.js': JSVM_COLLECTIONS });
  let proc: ManagedProcess;
  let checks: SplitHookChecks;
  let collections: CollectionHookChecks;
  let su = '';

  before(async () => {
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env: SU });
    su = await tokenFor(new HttpClient(proc.baseUrl), '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    checks = new SplitHookChecks(proc.baseUrl, su);
    await checks.setUp();
    collections = new CollectionHookChecks(proc.baseUrl, su);
  });
  after(() => {
    proc?.kill();
    [work, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it('onRealtimeConnectRequest refuses a stream or shortens its idle timeout', TIMEOUT, () =>
    checks.realtimeConnect(),
  );
  void it('onRealtimeMessageSend changes or drops messages; onRecordEnrich shapes records', TIMEOUT, () =>
    checks.realtimeMessagesAndEnrich(),
  );
  void it('onRecordAuthRefreshRequest refuses a refresh or changes the record answered', TIMEOUT, () =>
    checks.authRefresh(),
  );
  void it('onRecordAuthWithPasswordRequest runs before the password check', TIMEOUT, () => checks.authWithPassword());
  void it('onRecordAuthWithOAuth2Request before the account is written', TIMEOUT, () =>
    oauth2HookCheck(proc.baseUrl, su),
  );
  void it('onRecordRequestPasswordResetRequest, …VerificationRequest, …EmailChangeRequest', TIMEOUT, () =>
    checks.authFlows(),
  );
  void it('onFileTokenRequest and onFileDownloadRequest', TIMEOUT, () => checks.files());
  void it('onCollectionsListRequest and onCollectionViewRequest', TIMEOUT, () => collections.reads());
  void it('onCollectionsImportRequest', TIMEOUT, () => collections.imports());
  void it('onCollectionValidate and onCollectionAfterCreate/Update/DeleteError', TIMEOUT, () =>
    collections.validateAndErrors(),
  );
  void it('onRecordConfirmPasswordReset/Verification/EmailChangeRequest, onRecordAuthWithOTPRequest', TIMEOUT, () =>
    confirmHooksCheck(proc.baseUrl, su),
  );
});
