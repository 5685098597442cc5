import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { observabilityFromEnv } from './observability-env';

void describe('observabilityFromEnv: traces', () => {
  const run = (env: Record<string, string>) => {
    const problems: string[] = [];
    const config = observabilityFromEnv(env, false, true, problems);
    return { tracing: config.tracing, exporter: config.tracesExporter, problems };
  };

  void it('off without OTEL_* variables', () => {
    assert.deepEqual(run({}), { tracing: false, exporter: 'otlp-json', problems: [] });
  });

  void it('an OTLP endpoint: OTLP/HTTP with JSON bodies; console when named', () => {
    assert.deepEqual(run({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), {
      tracing: true,
      exporter: 'otlp-json',
      problems: [],
    });
    assert.deepEqual(run({ OTEL_TRACES_EXPORTER: 'console' }), { tracing: true, exporter: 'console', problems: [] });
  });

  void it('an exporter or protocol that is not installed is a configuration problem, not silence', () => {
    const envs: Record<string, string>[] = [
      { OTEL_TRACES_EXPORTER: 'zipkin' },
      { OTEL_TRACES_EXPORTER: 'otlp,console' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
    ];
    for (const env of envs) {
      const { problems } = run(env);
      assert.equal(problems.length, 1, JSON.stringify(env));
      assert.match(problems[0], /OTEL_EXPORTER_OTLP_PROTOCOL=http\/json/);
    }
  });

  void it('OTEL_SDK_DISABLED wins, whatever else is set', () => {
    assert.deepEqual(run({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'zipkin' }), {
      tracing: false,
      exporter: 'otlp-json',
      problems: [],
    });
  });
});
