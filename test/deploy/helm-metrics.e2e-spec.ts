// The chart's metrics options and its secrets, with the real `helm`: no default secrets (internalSecret and,
// with a bucket, the S3 credentials are required), NB_METRICS_TOKEN from the Secret in every pod, the optional
// prometheus-operator ServiceMonitor (its fields checked against the CRD's, which kubernetes-models doesn't
// ship) and the HPA's connections-per-pod metric (validated against the Kubernetes schemas).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { chartRenderer, findObject, K8sObject, renderChartObjects, Yaml } from './deploy-files';
import { typecheckObjects, validateObject } from './k8s-validate';

const COMPONENTS = ['gateway', 'records', 'auth', 'files', 'realtime'];

/** The ServiceMonitor fields (monitoring.coreos.com/v1) the chart may set, nested as in the CRD. */
const SERVICE_MONITOR_FIELDS: Yaml = {
  apiVersion: true,
  kind: true,
  metadata: { name: true, labels: true },
  spec: {
    selector: { matchLabels: true },
    endpoints: { port: true, path: true, interval: true, bearerTokenSecret: { name: true, key: true, optional: true } },
  },
};

/** Throws on a field outside `allowed` (arrays are checked item by item). */
function checkFields(value: Yaml, allowed: Yaml, at: string): void {
  if (allowed === true || value === null || typeof value !== 'object') {
    return;
  }
  for (const item of Array.isArray(value) ? value : [value]) {
    for (const [key, child] of Object.entries<Yaml>(item)) {
      assert.ok(allowed[key], `${at}.${key} is not a ServiceMonitor field the chart knows`);
      checkFields(child, allowed[key], `${at}.${key}`);
    }
  }
}

function kubernetesObjects(objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind !== 'ServiceMonitor');
}

void describe('helm chart: secrets and metrics', () => {
  const render = chartRenderer();
  const template = (set: Record<string, string>) =>
    render.helm(['template', 'nestbase', render.CHART_DIR, '--skip-tests', ...set2flags(set)]);
  const set2flags = (set: Record<string, string>) => Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]);

  void it('has no default secrets: internalSecret, and the S3 credentials with a bucket, are required', () => {
    assert.throws(() => template({}), /internalSecret is required/);
    assert.throws(() => template({ internalSecret: 'a-long-enough-secret' }), /s3.accessKey is required/);
    const noBucket = renderChartObjects({ 's3.bucket': '', 's3.accessKey': '', 's3.secret': '' });
    assert.equal(findObject(noBucket, 'Secret', 'nestbase').stringData.S3_SECRET, '');
    // Another Secret holds them: nothing is required of the values.
    const own = template({ existingSecret: 'mine' });
    assert.doesNotMatch(own, /kind: Secret/);
  });

  void it('gives every pod NB_METRICS_TOKEN from the Secret (optional key: an existingSecret may lack it)', () => {
    const objects = renderChartObjects({ 'metrics.token': 'a-metrics-token-of-32-characters' });
    assert.equal(
      findObject(objects, 'Secret', 'nestbase').stringData.NB_METRICS_TOKEN,
      'a-metrics-token-of-32-characters',
    );
    for (const component of COMPONENTS) {
      const env = findObject(objects, 'Deployment', `nestbase-${component}`).spec.template.spec.containers[0].env;
      const token = env.find((e: Yaml) => e.name === 'NB_METRICS_TOKEN');
      assert.deepEqual(token?.valueFrom?.secretKeyRef, { name: 'nestbase', key: 'NB_METRICS_TOKEN', optional: true });
    }
    assert.throws(() =>
      template({ internalSecret: 'a-long-enough-secret', 's3.bucket': '', 'metrics.token': 'short' }),
    );
  });

  void it('renders no ServiceMonitor by default, and one over every component when asked', () => {
    assert.ok(!renderChartObjects().some((o) => o.kind === 'ServiceMonitor'));
    const set = {
      'metrics.serviceMonitor.enabled': 'true',
      'metrics.serviceMonitor.interval': '15s',
      'metrics.serviceMonitor.labels.release': 'kube-prometheus-stack',
      'metrics.token': 'a-metrics-token-of-32-characters',
    };
    assert.match(render.helm(['lint', '--strict', render.CHART_DIR, ...render.setFlags(set)]), /0 chart\(s\) failed/);
    const objects = renderChartObjects(set);
    const monitor = findObject(objects, 'ServiceMonitor', 'nestbase');
    assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
    checkFields(monitor, SERVICE_MONITOR_FIELDS, 'ServiceMonitor');
    assert.equal(monitor.metadata.labels?.release, 'kube-prometheus-stack');
    const [endpoint] = monitor.spec.endpoints;
    assert.deepEqual(endpoint, {
      port: 'http',
      path: '/metrics',
      interval: '15s',
      bearerTokenSecret: { name: 'nestbase', key: 'NB_METRICS_TOKEN', optional: true },
    });
    for (const component of COMPONENTS) {
      const service = findObject(objects, 'Service', `nestbase-${component}`);
      for (const [label, value] of Object.entries(monitor.spec.selector.matchLabels)) {
        assert.equal(service.metadata.labels?.[label], value, `the ServiceMonitor selects ${component}`);
      }
      assert.ok(
        service.spec.ports.some((p: Yaml) => p.name === endpoint.port),
        component,
      );
    }
    for (const obj of kubernetesObjects(objects)) {
      validateObject(obj);
    }
    const noToken = findObject(
      renderChartObjects({ 'metrics.serviceMonitor.enabled': 'true' }),
      'ServiceMonitor',
      'nestbase',
    );
    assert.equal(noToken.spec.endpoints[0].bearerTokenSecret, undefined, 'no token: none sent');
  });

  void it('scales realtime on connections per pod too when connectionsPerPod is set', () => {
    const cpuOnly = findObject(renderChartObjects(), 'HorizontalPodAutoscaler', 'nestbase-realtime');
    assert.deepEqual(
      cpuOnly.spec.metrics.map((m: Yaml) => m.type),
      ['Resource'],
    );
    const objects = renderChartObjects({ 'realtime.autoscaling.connectionsPerPod': '500' });
    const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'nestbase-realtime');
    validateObject(hpa);
    assert.deepEqual(typecheckObjects([hpa]), []);
    assert.deepEqual(hpa.spec.metrics[1], {
      type: 'Pods',
      pods: { metric: { name: 'nb_realtime_connections' }, target: { type: 'AverageValue', averageValue: '500' } },
    });
  });
});
