import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { s3FromEnv } from './s3-env';

void describe('s3FromEnv', () => {
  const run = (env: Record<string, string>) => {
    const problems: string[] = [];
    return { config: s3FromEnv(env, problems), problems };
  };

  void it('nothing set: off, no problem', () => {
    assert.deepEqual(run({}), {
      config: {
        enabled: false,
        endpoint: '',
        bucket: '',
        region: '',
        accessKey: '',
        secret: '',
        forcePathStyle: false,
      },
      problems: [],
    });
  });

  void it('a full set: on', () => {
    const { config, problems } = run({
      S3_BUCKET: 'b',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_ACCESS_KEY: 'k',
      S3_SECRET: 's',
      S3_FORCE_PATH_STYLE: 'TRUE',
    });
    assert.deepEqual(problems, []);
    assert.equal(config.enabled, true);
    assert.equal(config.forcePathStyle, true);
  });

  void it('keys without S3_BUCKET are named', () => {
    const { problems } = run({ S3_ENDPOINT: 'http://x', S3_ACCESS_KEY: 'k', S3_SECRET: 's', S3_REGION: 'eu' });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET set without S3_BUCKET/);
    // a region or path style alone are defaults (.env.example, the Helm values), not a half-given set
    assert.deepEqual(run({ S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: 'false' }).problems, []);
  });

  void it('an access key without its secret, and the other way round', () => {
    assert.match(run({ S3_BUCKET: 'b', S3_ACCESS_KEY: 'k' }).problems[0], /S3_ACCESS_KEY is set without S3_SECRET/);
    assert.match(run({ S3_BUCKET: 'b', S3_SECRET: 's' }).problems[0], /S3_SECRET is set without S3_ACCESS_KEY/);
  });

  void it('an endpoint that is no URL', () => {
    assert.match(run({ S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' }).problems[0], /S3_ENDPOINT must be an http/);
  });
});
