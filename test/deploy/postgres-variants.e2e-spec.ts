// The PostgreSQL variants of the deployment: the chart with database.url / database.existingSecret (rendered with
// the real `helm`, every object validated against the Kubernetes schemas) drops the ReadWriteOnce claim and the
// co-scheduling and offers HPAs for records and auth; docker-compose.postgres.yml over docker-compose.yml (merged
// as compose merges them) runs records, auth and files twice each on no shared volume with a required password.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { interpolate, readComposeDoc } from '../distributed/support/compose-file';
import { chartRenderer, findObject, K8sObject, readText, renderChartObjects, Yaml } from './deploy-files';
import { typecheckObjects, validateObject } from './k8s-validate';

const DATA = ['records', 'auth', 'files'];
const URL = 'postgres://nestbase:secret@pg.example.com:5432/nestbase';

const deployment = (objects: K8sObject[], component: string): Yaml =>
  findObject(objects, 'Deployment', `nestbase-${component}`);
const envOf = (objects: K8sObject[], component: string): Yaml[] =>
  deployment(objects, component).spec.template.spec.containers[0].env;

void describe('helm chart on PostgreSQL (database.url / database.existingSecret)', () => {
  void it('keeps the claim and the co-scheduling without a database URL', () => {
    const objects = renderChartObjects();
    assert.ok(objects.some((o) => o.kind === 'PersistentVolumeClaim'));
    for (const component of DATA) {
      const spec = deployment(objects, component).spec.template.spec;
      assert.ok(spec.affinity?.podAffinity, `${component} co-scheduled`);
      assert.ok(!envOf(objects, component).some((e) => e.name === 'DATABASE_URL'));
    }
    const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name);
    assert.deepEqual(hpas, ['nestbase-realtime']);
  });

  void it('drops the claim and the co-scheduling, gives DATABASE_URL from the Secret and scales records and auth', () => {
    const objects = renderChartObjects({ 'database.url': URL });
    assert.ok(!objects.some((o) => o.kind === 'PersistentVolumeClaim'), 'no claim');
    assert.equal(findObject(objects, 'Secret', 'nestbase').stringData.DATABASE_URL, URL);
    for (const component of DATA) {
      const spec = deployment(objects, component).spec.template.spec;
      assert.equal(spec.affinity, undefined, `${component}: no pod affinity`);
      assert.deepEqual(
        spec.volumes.find((v: Yaml) => v.name === 'pb-data'),
        { name: 'pb-data', emptyDir: {} },
        `${component}: its own data dir`,
      );
      const env = envOf(objects, component);
      assert.deepEqual(env.find((e) => e.name === 'DATABASE_URL').valueFrom.secretKeyRef, {
        name: 'nestbase',
        key: 'DATABASE_URL',
      });
      assert.equal(env.find((e) => e.name === 'NB_DB_POOL_MAX').value, '10');
      assert.ok(!(deployment(objects, component).spec.template.metadata.labels ?? {})['nestbase.io/pb-data']);
    }
    for (const component of ['records', 'auth']) {
      const hpa = findObject(objects, 'HorizontalPodAutoscaler', `nestbase-${component}`);
      assert.equal(hpa.spec.scaleTargetRef.name, `nestbase-${component}`);
      assert.equal(hpa.spec.minReplicas, 2);
      assert.equal(deployment(objects, component).spec.replicas, undefined, `the HPA owns ${component}'s replicas`);
    }
    assert.equal(deployment(objects, 'files').spec.replicas, 1, 'files keeps its replicas value');
    for (const obj of objects) {
      validateObject(obj);
    }
    assert.deepEqual(typecheckObjects(objects), []);
  });

  void it('reads the URL from an existing Secret, and refuses a database without a bucket', () => {
    const objects = renderChartObjects({
      'database.existingSecret': 'pg-credentials',
      'database.existingSecretKey': 'uri',
      'records.autoscaling.enabled': 'false',
    });
    assert.equal(findObject(objects, 'Secret', 'nestbase').stringData.DATABASE_URL, undefined);
    assert.deepEqual(envOf(objects, 'records').find((e) => e.name === 'DATABASE_URL').valueFrom.secretKeyRef, {
      name: 'pg-credentials',
      key: 'uri',
    });
    assert.ok(!objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'nestbase-records'));
    assert.equal(deployment(objects, 'records').spec.replicas, 1, 'no HPA: the replicas value');
    const render = chartRenderer();
    assert.throws(
      () =>
        render.helm([
          'template',
          'nestbase',
          render.CHART_DIR,
          ...render.setFlags({ 'database.url': URL, 's3.bucket': '' }),
        ]),
      /s3.bucket is required with database.url/,
    );
    assert.throws(() => renderChartObjects({ 'database.url': 'mysql://x' }), /database.url/);
  });
});

void describe('docker-compose.postgres.yml over docker-compose.yml', () => {
  const vars = {
    NB_INTERNAL_SECRET: 'x'.repeat(32),
    MINIO_ROOT_USER: 'minio',
    MINIO_ROOT_PASSWORD: 'p'.repeat(16),
    POSTGRES_PASSWORD: 'pg-password',
  };

  void it('runs records, auth and files twice each on PostgreSQL with no shared volume, files in MinIO', () => {
    const { services } = readComposeDoc(vars, ['docker-compose.postgres.yml']);
    const postgres = services.postgres as Yaml;
    assert.match(String(postgres.image), /^postgres:\d+\.\d+-/, 'a pinned PostgreSQL release');
    for (const name of DATA) {
      const service = services[name] as Yaml;
      assert.equal(service.deploy.replicas, 2, `${name} replicas`);
      assert.ok(
        !(service.volumes as string[]).some((v) => v.startsWith('pb_data:')),
        `${name}: no pb_data volume (${String(service.volumes)})`,
      );
      assert.equal(service.environment.DATABASE_URL, 'postgres://nestbase:pg-password@postgres:5432/nestbase');
      assert.equal(service.environment.S3_ENDPOINT, 'http://minio:9000', `${name}: files in MinIO`);
      assert.equal(service.depends_on.postgres.condition, 'service_healthy');
    }
    assert.equal((services.realtime as Yaml).deploy.replicas, 2, 'realtime as in the base file');
  });

  void it('requires POSTGRES_PASSWORD', () => {
    const text = readText('docker-compose.postgres.yml');
    const uses = [...text.matchAll(/\$\{POSTGRES_PASSWORD(:?[-?])?[^}]*\}/g)];
    assert.ok(uses.length >= 2);
    assert.ok(
      uses.every((use) => use[1] === ':?'),
      'every use is required',
    );
    assert.throws(() => interpolate(text, { ...vars, POSTGRES_PASSWORD: '' }), /POSTGRES_PASSWORD is missing/);
  });
});
