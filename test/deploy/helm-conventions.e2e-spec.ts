// The chart's Helm conventions, rendered with the real helm: nameOverride / fullnameOverride, the image tag
// defaulting to the chart's appVersion, values.schema.json refusing bad values, a service account, per-component
// nodeSelector / tolerations / extraEnv, a read-only root filesystem (with a writable /tmp), and a `helm test` pod.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parse } from 'yaml';

import { K8sObject, Yaml, allManifests, chartRenderer, findObject, readText, renderChartObjects } from './deploy-files';
import { validateObject } from './k8s-validate';

const COMPONENTS = ['records', 'auth', 'files', 'realtime', 'gateway'];
const appVersion = String((parse(readText('k8s/nestbase/Chart.yaml')) as { appVersion: string }).appVersion);
const deployments = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment');
const podOf = (objects: K8sObject[], name: string): Yaml => findObject(objects, 'Deployment', name).spec.template.spec;

void describe('helm chart conventions', () => {
  const render = chartRenderer();

  void it('names objects with nameOverride and fullnameOverride', () => {
    const full = renderChartObjects({ fullnameOverride: 'shop' });
    assert.deepEqual(
      deployments(full)
        .map((d) => d.metadata.name)
        .sort(),
      COMPONENTS.map((c) => `shop-${c}`).sort(),
    );
    const named = renderChartObjects({ nameOverride: 'api' });
    const records = findObject(named, 'Deployment', 'nestbase-api-records');
    assert.equal(records.spec.selector.matchLabels['app.kubernetes.io/name'], 'api');
  });

  void it("tags the image with the chart's appVersion unless image.tag is set", () => {
    const images = (objects: K8sObject[]) =>
      new Set(deployments(objects).flatMap((d) => d.spec.template.spec.containers.map((c: Yaml) => c.image)));
    assert.deepEqual([...images(renderChartObjects())], [`nestbase:${appVersion}`]);
    assert.deepEqual([...images(renderChartObjects({ 'image.tag': '9.9.9' }))], ['nestbase:9.9.9']);
  });

  void it('refuses values that break values.schema.json', () => {
    for (const bad of ['port=http', 'unknownKey=1', 'records.replicas=0', 'image.pullPolicy=Sometimes']) {
      assert.throws(() => render.helm(['template', 'x', render.CHART_DIR, '--set', bad]), /schema|values/i, bad);
    }
  });

  void it('runs every pod as the chart service account (or a given one), with no API token mounted', () => {
    const objects = renderChartObjects();
    const account = findObject(objects, 'ServiceAccount', 'nestbase');
    assert.equal(account.automountServiceAccountToken, false);
    for (const d of deployments(objects)) {
      assert.equal(d.spec.template.spec.serviceAccountName, 'nestbase', d.metadata.name);
      assert.equal(d.spec.template.spec.automountServiceAccountToken, false, d.metadata.name);
    }
    const given = renderChartObjects({ 'serviceAccount.create': 'false', 'serviceAccount.name': 'ops' });
    assert.ok(!given.some((o) => o.kind === 'ServiceAccount'));
    assert.ok(deployments(given).every((d) => d.spec.template.spec.serviceAccountName === 'ops'));
  });

  void it('schedules and configures each component on its own: nodeSelector, tolerations, extraEnv', () => {
    const set: Record<string, string> = { 'dataNodeSelector.zone': 'a' };
    for (const c of COMPONENTS) {
      set[`${c}.nodeSelector.role`] = c;
      set[`${c}.tolerations[0].key`] = `only-${c}`;
      set[`${c}.tolerations[0].operator`] = 'Exists';
      set[`${c}.extraEnv[0].name`] = 'NB_EXTRA';
      set[`${c}.extraEnv[0].value`] = c;
    }
    const objects = renderChartObjects(set);
    for (const c of COMPONENTS) {
      const pod = podOf(objects, `nestbase-${c}`);
      const data = ['records', 'auth', 'files'].includes(c);
      assert.deepEqual(pod.nodeSelector, data ? { role: c, zone: 'a' } : { role: c }, c);
      assert.deepEqual(pod.tolerations, [{ key: `only-${c}`, operator: 'Exists' }], c);
      const env = pod.containers[0].env as { name: string; value?: string }[];
      assert.deepEqual(
        env.filter((e) => e.name === 'NB_EXTRA'),
        [{ name: 'NB_EXTRA', value: c }],
        c,
      );
      validateObject(findObject(objects, 'Deployment', `nestbase-${c}`));
    }
  });

  void it('gives every container a read-only root filesystem and a writable /tmp', () => {
    for (const d of deployments(allManifests())) {
      const pod = d.spec.template.spec;
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        assert.equal(container.securityContext.readOnlyRootFilesystem, true, `${d.metadata.name}/${container.name}`);
      }
      const tmp = pod.volumes.find((v: Yaml) => v.name === 'tmp');
      assert.deepEqual(tmp, { name: 'tmp', emptyDir: {} }, d.metadata.name);
      assert.ok(pod.containers[0].volumeMounts.some((m: Yaml) => m.name === 'tmp' && m.mountPath === '/tmp'));
    }
  });

  void it('has a `helm test` pod asking the gateway /readyz, left out of k8s/manifests', () => {
    const pods = renderChartObjects({}, true).filter((o) => o.kind === 'Pod');
    assert.equal(pods.length, 1);
    const [pod] = pods;
    assert.equal(pod.metadata.annotations?.['helm.sh/hook'], 'test');
    validateObject(pod);
    const command = pod.spec.containers[0].command as string[];
    assert.deepEqual(command.slice(0, 2), ['node', 'docker/healthcheck.js']);
    assert.equal(command[2], 'http://nestbase-gateway:8090/readyz');
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.ok(!allManifests().some((o) => o.metadata.annotations?.['helm.sh/hook']));
    assert.ok(!renderChartObjects({ 'tests.enabled': 'false' }, true).some((o) => o.kind === 'Pod'));
  });
});
