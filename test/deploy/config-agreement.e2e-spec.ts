// docker-compose.yml, the image, the chart and k8s/manifests agree with the config loader and with one
// another: every variable they set is one libs/core's loadConfig reads and .env.example lists; compose runs
// real services; ports, and each service's environment, are the same (service host names aside).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';

import {
  Yaml,
  K8sObject,
  ROOT,
  SERVICES,
  allManifests,
  chartValues,
  compose,
  composeEnv,
  composeNestbaseServices,
  configEnvNames,
  envExampleNames,
  findObject,
  portOf,
  readText,
  renderChartObjects,
} from './deploy-files';

/** The environment of one container as the pod sees it: envFrom ConfigMaps, then env (Secret values resolved). */
function podEnv(objects: K8sObject[], deployment: K8sObject): Record<string, string> {
  const c = deployment.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    Object.assign(env, findObject(objects, 'ConfigMap', from.configMapRef.name).data);
  }
  for (const entry of c.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef;
    env[entry.name] = ref ? String(findObject(objects, 'Secret', ref.name).stringData[ref.key]) : String(entry.value);
  }
  return env;
}

/** Every env name a set of objects sets: ConfigMap data, Secret keys, container env. */
function objectEnvNames(objects: K8sObject[]): string[] {
  return objects.flatMap((o) => {
    if (o.kind === 'ConfigMap') {
      return Object.keys(o.data ?? {});
    }
    if (o.kind === 'Secret') {
      return Object.keys(o.stringData ?? o.data ?? {});
    }
    if (o.kind === 'Deployment') {
      const pod = o.spec.template.spec;
      return [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c: Yaml) =>
        (c.env ?? []).map((e: Yaml) => e.name as string),
      );
    }
    return [];
  });
}

function dockerfileEnvNames(): string[] {
  const dockerfile = DockerfileParser.parse(readText('docker/Dockerfile'));
  return dockerfile.getENVs().flatMap((env) => env.getProperties().map((p) => p.getName()));
}

function componentOf(deployment: K8sObject): string {
  return String(deployment.metadata.labels?.['app.kubernetes.io/component']);
}

void describe('configuration agreement', () => {
  const readByLoader = configEnvNames();
  const listed = envExampleNames();
  const manifests = allManifests();
  const services = composeNestbaseServices();

  void it('the loader reads the documented names (sanity of the probe)', () => {
    for (const name of ['NB_HTTP', 'NB_DIR', 'PB_ADMIN_EMAIL', 'REDIS_URL', 'S3_BUCKET', 'DB_BUSY_TIMEOUT_MS']) {
      assert.ok(readByLoader.has(name), name);
    }
  });

  void it('every variable compose, the Dockerfile, the chart and k8s/manifests set is read by loadConfig and listed in .env.example', () => {
    const sources: Record<string, string[]> = {
      'docker-compose.yml x-env': Object.keys(compose()['x-env']),
      'docker/Dockerfile ENV': dockerfileEnvNames(),
      'k8s/manifests': objectEnvNames(manifests),
      'the chart with every option': objectEnvNames(
        renderChartObjects({ 'realtime.autoscaling.enabled': 'false', hooksConfigMap: 'h' }),
      ),
    };
    for (const [name, service] of services) {
      sources[`docker-compose.yml ${name}`] = Object.keys(service.environment ?? {});
    }
    const problems: string[] = [];
    for (const [source, names] of Object.entries(sources)) {
      assert.ok(names.length > 0, `${source} sets variables`);
      for (const name of new Set(names)) {
        if (!readByLoader.has(name)) {
          problems.push(`${source}: ${name} is not read by libs/core/src/config/app-config.ts`);
        }
        if (!listed.has(name)) {
          problems.push(`${source}: ${name} is not listed in .env.example`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  void it('compose runs each service of the set once, with a real service command, from docker/Dockerfile', () => {
    const commands = [...services.values()].map((s) => s.command[0] as string);
    assert.deepEqual([...commands].sort(), [...SERVICES].sort());
    for (const command of commands) {
      assert.ok(existsSync(join(ROOT, 'apps', command, 'src', 'main.ts')), `apps/${command}`);
      assert.match(readText('bin/nestbase.js'), new RegExp(`'${command}'`), `bin/nestbase.js runs ${command}`);
    }
    const built = [...services.values()].filter((s) => s.build);
    assert.ok(built.length > 0);
    for (const service of built) {
      assert.equal(service.build.dockerfile, 'docker/Dockerfile');
      assert.equal(service.build.context, '.');
    }
    // `condition: service_healthy` on a nestbase service needs the image's HEALTHCHECK.
    const healthy = [...services.values()].flatMap((s) =>
      Object.entries<Yaml>(s.depends_on ?? {}).filter(
        ([name, dep]) => services.has(name) && dep.condition === 'service_healthy',
      ),
    );
    assert.ok(healthy.length > 0);
    assert.equal(DockerfileParser.parse(readText('docker/Dockerfile')).getHEALTHCHECKs().length, 1);
  });

  void it('compose, the image and the chart use the same port', () => {
    const port = chartValues().port as number;
    for (const [name, service] of services) {
      assert.equal(portOf(composeEnv(service).NB_HTTP), port, `compose ${name} NB_HTTP`);
    }
    assert.deepEqual(compose().services.gateway.ports, [`${port}:${port}`]);
    const expose = DockerfileParser.parse(readText('docker/Dockerfile'))
      .getInstructions()
      .filter((i) => i.getKeyword() === 'EXPOSE')
      .map((i) => Number(i.getArgumentsContent()));
    assert.deepEqual(expose, [port]);
    for (const service of manifests.filter((o) => o.kind === 'Service')) {
      assert.equal(service.spec.ports[0].port, port, service.metadata.name);
    }
    for (const d of manifests.filter((o) => o.kind === 'Deployment')) {
      assert.equal(portOf(podEnv(manifests, d).NB_HTTP), port, d.metadata.name);
      assert.equal(d.spec.template.spec.containers[0].ports[0].containerPort, port, d.metadata.name);
    }
  });

  void it('each service gets the same environment from compose and from the chart (host names aside)', () => {
    const unprefix = (env: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, v.replace(/^http:\/\/nestbase-([a-z]+):/, 'http://$1:')]),
      );
    // The one intended difference: behind the chart's Ingress every process trusts one more proxy hop.
    const ingressHop = (env: Record<string, string>) => ({
      ...env,
      NB_TRUST_PROXY_HOPS: String(Number(env.NB_TRUST_PROXY_HOPS ?? 0) + 1),
    });
    assert.equal(chartValues().ingress.enabled, true, 'the manifests are rendered with the Ingress on');
    for (const d of manifests.filter((o) => o.kind === 'Deployment')) {
      const component = componentOf(d);
      const service = [...services.values()].find((s) => s.command[0] === component);
      assert.ok(service, component);
      // Secrets compose requires (`${VAR:?…}`, no default): the chart must give each some value, whatever it is.
      const pod = unprefix(podEnv(manifests, d));
      for (const [key, raw] of Object.entries<unknown>(service.environment ?? {})) {
        if (/^\$\{[A-Z_]+:\?/.test(String(raw))) {
          assert.ok(pod[key], `${component}: the chart sets ${key}`);
          pod[key] = '';
        }
      }
      assert.deepEqual(pod, ingressHop(composeEnv(service)), component);
    }
  });

  void it('realtime runs at least 2 replicas in compose and in the chart, and the HPA starts from the same count', () => {
    const replicas = compose().services.realtime.deploy.replicas as number;
    const values = chartValues();
    assert.ok(replicas >= 2);
    assert.equal(values.realtime.replicas, replicas);
    assert.equal(values.realtime.autoscaling.minReplicas, replicas);
    const hpa = manifests.find((o) => o.kind === 'HorizontalPodAutoscaler');
    assert.equal(hpa?.spec.minReplicas, replicas);
    const fixed = renderChartObjects({ 'realtime.autoscaling.enabled': 'false' });
    assert.equal(findObject(fixed, 'Deployment', 'nestbase-realtime').spec.replicas, replicas);
  });
});
