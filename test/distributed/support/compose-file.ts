// Reads docker-compose.yml the way `docker compose` does for what the distributed tests need: variable
// interpolation (`${NAME}`, `${NAME:-default}`, `${NAME:?error}`, `$$`), YAML anchors and `<<` merge keys, each service's
// command, environment, replica count and start order (depends_on).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from '@lib/testing';

import { mergeCompose, parseComposeText } from './compose-merge';

export interface ComposeService {
  name: string;
  image: string;
  command: string[];
  environment: Record<string, string>;
  replicas: number;
  dependsOn: string[];
  ports: string[];
  /** The container paths of its mounts (`volumes` targets). */
  mounts: string[];
}

/** The nestbase services (`node bin/nestbase.js <command>`). */
export const NESTBASE_COMMANDS = ['gateway', 'auth', 'records', 'files', 'realtime'] as const;

/** The PostgreSQL variant: `docker compose -f docker-compose.yml -f docker-compose.postgres.yml`. */
export const POSTGRES_OVERRIDE = 'docker-compose.postgres.yml';

export function composePath(file = 'docker-compose.yml'): string {
  return join(repoRoot(), file);
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

/** The compose files merged as `docker compose -f …` does (docker-compose.yml, then the overrides). */
export function readComposeDoc(
  vars: Record<string, string | undefined> = {},
  overrides: string[] = [],
): { services: Record<string, Record<string, unknown>> } & Record<string, unknown> {
  const docs = ['docker-compose.yml', ...overrides].map((file) =>
    parseComposeText(interpolate(readFileSync(composePath(file), 'utf8'), vars)),
  );
  return mergeCompose(docs) as { services: Record<string, Record<string, unknown>> };
}

/**
 * Every service of the compose files (docker-compose.yml, then `overrides`), in an order that starts each after
 * what it depends on.
 */
export function readCompose(vars: Record<string, string | undefined> = {}, overrides: string[] = []): ComposeService[] {
  const doc = readComposeDoc(vars, overrides);
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
      mounts: ((raw.volumes ?? []) as unknown[]).map((v) =>
        typeof v === 'object' && v !== null
          ? scalar((v as { target?: unknown }).target)
          : (scalar(v).split(':')[1] ?? ''),
      ),
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
