// Reads docker-compose.yml the way `docker compose` does for what the distributed tests need: variable
// interpolation (`${NAME}`, `${NAME:-default}`, `${NAME:?error}`, `$$`), YAML anchors and `<<` merge keys, each service's
// command, environment, replica count and start order (depends_on).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { repoRoot } from '@lib/testing';

export interface ComposeService {
  name: string;
  image: string;
  command: string[];
  environment: Record<string, string>;
  replicas: number;
  dependsOn: string[];
  ports: string[];
}

/** The nestbase services (`node bin/nestbase.js <command>`). */
export const NESTBASE_COMMANDS = ['gateway', 'auth', 'records', 'files', 'realtime'] as const;

export function composePath(): string {
  return join(repoRoot(), 'docker-compose.yml');
}

/** Compose's interpolation of `text` from `vars` (the shell environment or a `.env`). */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (whole, name?: string, colon?: string, kind?: string, word?: string) => {
      if (whole === '$$') {
        return '$';
      }
      const value = vars[name ?? ''];
      const missing = value === undefined || (value === '' && colon === ':');
      if (missing && kind === '?') {
        // `${NAME:?message}`: compose refuses to start without the variable.
        throw new Error(`docker-compose.yml: required variable ${String(name)} is missing: ${String(word)}`);
      }
      return missing ? (kind === '-' ? (word ?? '') : '') : (value ?? '');
    },
  );
}

/** A YAML scalar as text (compose keeps numbers and booleans as their literal text). */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function asStrings(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value.map(scalar) : scalar(value).split(/\s+/).filter(Boolean);
}

function environment(value: unknown): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const text = scalar(entry);
        const at = text.indexOf('=');
        return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
      }),
    );
  }
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    out[key] = scalar(entry);
  }
  return out;
}

/** Every service of the compose file, in an order that starts each after what it depends on. */
export function readCompose(vars: Record<string, string | undefined> = {}): ComposeService[] {
  const doc = parse(interpolate(readFileSync(composePath(), 'utf8'), vars), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
  };
  const services = Object.entries(doc.services).map(([name, raw]): ComposeService => {
    const deploy = (raw.deploy ?? {}) as { replicas?: number };
    const depends = raw.depends_on;
    return {
      name,
      image: scalar(raw.image),
      command: asStrings(raw.command),
      environment: environment(raw.environment),
      replicas: deploy.replicas ?? 1,
      dependsOn: Array.isArray(depends) ? depends.map(scalar) : Object.keys(depends ?? {}),
      ports: asStrings(raw.ports),
    };
  });
  const ordered: ComposeService[] = [];
  const visit = (service: ComposeService, path: string[]): void => {
    if (ordered.includes(service)) {
      return;
    }
    if (path.includes(service.name)) {
      throw new Error(`docker-compose.yml: depends_on cycle ${[...path, service.name].join(' -> ')}`);
    }
    for (const dependency of service.dependsOn) {
      const found = services.find((s) => s.name === dependency);
      if (!found) {
        throw new Error(`docker-compose.yml: ${service.name} depends on unknown service ${dependency}`);
      }
      visit(found, [...path, service.name]);
    }
    ordered.push(service);
  };
  services.forEach((service) => visit(service, []));
  return ordered;
}
