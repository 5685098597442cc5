// Trace sampling through the standard variables (OTEL_TRACES_SAMPLER / _ARG): with a parent-based ratio of 0 the
// process starts no trace of its own, but a caller's sampled `traceparent` is followed in full — the request's
// server span and its SQL beneath it — while a caller's unsampled one (or none) yields no span at all.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, ManagedProcess, startNestbase, TEST_CEILING_MS } from '@lib/testing';

import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { waitUntil } from './support/realtime-helpers';

const SU = { email: 'sampling-su@example.com', password: 'Sampling-Superuser-Passw0rd' };
const TIMEOUT = { timeout: TEST_CEILING_MS };
const PARENT = 'b7ad6b7169203331';
const traceId = (n: number) => `${String(n).padStart(2, '0')}f7651916cd43dd8448eb211c80319c`;

void describe('trace sampling (OTEL_TRACES_SAMPLER=parentbased_traceidratio, ratio 0)', () => {
  let dir = '';
  let receiver: OtlpReceiver;
  let server: ManagedProcess | undefined;
  let http: HttpClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-otel-sampling-'));
    receiver = await OtlpReceiver.start();
    const env = {
      PB_ADMIN_EMAIL: SU.email,
      PB_ADMIN_PASSWORD: SU.password,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
      // every statement spanned, however quick (the default keeps reads under 1 ms as counts on their request's span)
      NB_TRACE_MIN_MS: '0',
    };
    server = await startNestbase(dir, [], { env });
    http = new HttpClient(server.baseUrl);
  }, TIMEOUT);

  after(async () => {
    await server?.stop();
    await receiver?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A superuser sign-in (its SQL looks the superuser up) as request `requestId`, with `traceparent` if given. */
  async function signIn(requestId: string, traceparent?: string): Promise<void> {
    const res = await http.request('POST', '/api/collections/_superusers/auth-with-password', {
      body: { identity: SU.email, password: SU.password },
      headers: { 'X-Request-Id': requestId, ...(traceparent ? { traceparent } : {}) },
    });
    assert.equal(res.status, 200, res.text);
  }

  void it("traces a caller's sampled request in full and nothing else", TIMEOUT, async () => {
    await signIn('sampling-none');
    await signIn('sampling-unsampled', `00-${traceId(2)}-${PARENT}-00`);
    await signIn('sampling-sampled', `00-${traceId(3)}-${PARENT}-01`);
    const sampled = () => receiver.trace(traceId(3));
    const isServer = (s: ReceivedSpan) => s.attributes['nestbase.request_id'] === 'sampling-sampled';
    // the server span ends after the response: it may come in a later batch than its SQL
    await waitUntil(
      () => sampled().some(isServer) && sampled().some((s) => s.name.startsWith('db ')),
      'the sampled request with its SQL',
    );
    const server = sampled().find(isServer);
    assert.ok(server, receiver.tree(traceId(3)));
    assert.equal(server.parentSpanId, PARENT);
    const statements = sampled().filter((s) => s.name.startsWith('db '));
    assert.ok(
      statements.length > 0 && statements.every((s) => s.parentSpanId === server.spanId),
      receiver.tree(traceId(3)),
    );
    // the other two came earlier: anything of theirs would have been exported by now (spans leave in order)
    const others = receiver.spans.filter((s) => s.traceId !== traceId(3));
    assert.deepEqual(
      others.map((s) => `${s.name} ${JSON.stringify(s.attributes['nestbase.request_id'])}`),
      [],
      'no span of the unsampled requests',
    );
  });
});
