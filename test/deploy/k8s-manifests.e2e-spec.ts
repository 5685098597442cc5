// k8s/manifests: every object validates against the Kubernetes schemas (kubernetes-models), and the set
// is wired the way the design needs: probes, the pb_data volume on one node, realtime without it, the
// names every reference points at.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Yaml, K8sObject, SERVICES, allManifests, findObject, manifestFiles, portOf } from './deploy-files';
import { typecheckObjects, validateObject } from './k8s-validate';

const objects = allManifests();
const deployments = objects.filter((o) => o.kind === 'Deployment');
const DATA_SERVICES = ['records', 'auth', 'files'];

function deployment(component: string): K8sObject {
  const found = deployments.find((d) => d.metadata.labels?.['app.kubernetes.io/component'] === component);
  assert.ok(found, `a Deployment for ${component}`);
  return found;
}

function container(d: K8sObject): Yaml {
  const containers = d.spec.template.spec.containers as Yaml[];
  assert.equal(containers.length, 1, `${d.metadata.name}: one container`);
  return containers[0];
}

function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

void describe('k8s/manifests: Kubernetes schemas', () => {
  void it('has one file per kind or service, each with at least one object', () => {
    const files = manifestFiles();
    assert.ok(files.size >= 8, `files: ${[...files.keys()].join(', ')}`);
    for (const [name, docs] of files) {
      assert.ok(docs.length > 0, `${name} is empty`);
    }
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['Deployment', 'Service', 'Ingress', 'HorizontalPodAutoscaler', 'PersistentVolumeClaim']) {
      assert.ok(kinds.has(kind), `a ${kind}`);
    }
    assert.ok(kinds.has('Secret') && kinds.has('ConfigMap'));
  });

  void it('every object validates against its schema', () => {
    for (const obj of objects) {
      validateObject(obj);
    }
  });

  void it('every object type-checks against its declared type (no unknown fields)', () => {
    assert.deepEqual(typecheckObjects(objects), []);
  });

  void it('the validators reject broken objects (the check is real)', () => {
    const broken = structuredClone(deployment('records'));
    delete broken.spec.selector;
    assert.throws(() => validateObject(broken), /selector/);
    const typo = structuredClone(deployment('records'));
    typo.spec.template.spec.containers[0].readinesProbe = typo.spec.template.spec.containers[0].readinessProbe;
    assert.match(typecheckObjects([typo]).join('\n'), /readinesProbe/);
    assert.throws(() => validateObject({ apiVersion: 'v1', kind: 'Nonsense', metadata: { name: 'x' } }), /unknown/);
  });
});

void describe('k8s/manifests: the distributed design', () => {
  void it('one Deployment per service, each running its service command as non-root', () => {
    assert.deepEqual(deployments.map((d) => container(d).args[0]).sort(), [...SERVICES].sort());
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      assert.equal(pod.securityContext.runAsNonRoot, true, d.metadata.name);
      assert.notEqual(pod.securityContext.runAsUser, 0, d.metadata.name);
      assert.equal(container(d).securityContext.allowPrivilegeEscalation, false, d.metadata.name);
      assert.ok(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels), d.metadata.name);
    }
  });

  void it('liveness probes /healthz and readiness probes /readyz on the container port', () => {
    for (const d of deployments) {
      const c = container(d);
      assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8090, protocol: 'TCP' }], d.metadata.name);
      assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 'http' }, d.metadata.name);
      assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'http' }, d.metadata.name);
      assert.equal(c.startupProbe.httpGet.path, '/healthz', d.metadata.name);
    }
  });

  void it('records, auth and files mount the ReadWriteOnce pb_data claim and are co-scheduled onto one node', () => {
    const claims = objects.filter((o) => o.kind === 'PersistentVolumeClaim');
    assert.equal(claims.length, 1);
    assert.deepEqual(claims[0].spec.accessModes, ['ReadWriteOnce']);
    for (const component of DATA_SERVICES) {
      const d = deployment(component);
      const pod = d.spec.template.spec;
      const volume = pod.volumes.find((v: Yaml) => v.persistentVolumeClaim);
      assert.equal(volume.persistentVolumeClaim.claimName, claims[0].metadata.name, component);
      assert.ok(
        container(d).volumeMounts.some((m: Yaml) => m.name === volume.name && m.mountPath === '/pb_data'),
        component,
      );
      const terms = pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution as Yaml[];
      assert.equal(terms.length, 1, component);
      assert.equal(terms[0].topologyKey, 'kubernetes.io/hostname', component);
      // The shared label: each data pod carries it, so each requires the node of the others.
      for (const other of DATA_SERVICES) {
        assert.ok(matches(terms[0].labelSelector.matchLabels, deployment(other).spec.template.metadata.labels));
      }
      assert.ok(!matches(terms[0].labelSelector.matchLabels, deployment('realtime').spec.template.metadata.labels));
    }
  });

  void it('realtime and the gateway have no volume claim; realtime asks the records service and autoscales from 2', () => {
    for (const component of ['realtime', 'gateway']) {
      const volumes = (deployment(component).spec.template.spec.volumes ?? []) as Yaml[];
      assert.ok(!volumes.some((v) => v.persistentVolumeClaim), component);
      assert.equal(deployment(component).spec.template.spec.affinity.podAffinity, undefined, component);
    }
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    assert.ok(hpa);
    assert.deepEqual(hpa.spec.scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment('realtime').metadata.name,
    });
    assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas >= hpa.spec.minReplicas);
    assert.ok(hpa.spec.metrics.length > 0);
    assert.ok(container(deployment('realtime')).resources.requests.cpu, 'the HPA needs a CPU request');
  });

  void it('every ConfigMap, Secret key, Service and URL a pod refers to exists', () => {
    for (const d of deployments) {
      const c = container(d);
      for (const from of c.envFrom ?? []) {
        findObject(objects, 'ConfigMap', from.configMapRef.name);
      }
      for (const env of c.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef;
        if (ref) {
          const secret = findObject(objects, 'Secret', ref.name);
          assert.ok(ref.key in secret.stringData, `${d.metadata.name}: ${ref.key} in Secret ${ref.name}`);
        }
      }
    }
    const urls = objects
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((cm) =>
        Object.entries<string>(cm.data).filter(([key]) => key.endsWith('_URL') || key.startsWith('NB_UPSTREAM_')),
      );
    assert.ok(urls.length >= 5, 'upstream and records URLs');
    for (const [key, url] of urls) {
      const host = new URL(url).hostname;
      const service = findObject(objects, 'Service', host);
      assert.equal(service.spec.ports[0].port, portOf(url), key);
      const component = key === 'NB_RECORDS_URL' ? 'records' : key.slice('NB_UPSTREAM_'.length).toLowerCase();
      assert.equal(service.metadata.labels?.['app.kubernetes.io/component'], component, key);
    }
  });

  void it('each Service selects its Deployment’s pods on the named container port; the Ingress routes to the gateway', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const selected = deployments.filter((d) => matches(service.spec.selector, d.spec.template.metadata.labels));
      assert.equal(selected.length, 1, service.metadata.name);
      assert.equal(service.spec.ports[0].targetPort, 'http');
    }
    const ingress = objects.find((o) => o.kind === 'Ingress');
    assert.ok(ingress);
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    assert.equal(backend.name, findObject(objects, 'Service', backend.name).metadata.name);
    assert.equal(
      findObject(objects, 'Service', backend.name).metadata.labels?.['app.kubernetes.io/component'],
      'gateway',
    );
  });
});
