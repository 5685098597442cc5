// Shared by the migrations suites: a project directory (pb_data beside pb_migrations, as PocketBase lays them
// out), migration files written into it, the CLI and the server run on it, and superuser requests.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApiResponse, HttpClient, ManagedProcess, ProcessResult, runCli, startNestbase, tokenFor } from '@lib/testing';

export const SU = { PB_ADMIN_EMAIL: 'mig-su@example.com', PB_ADMIN_PASSWORD: 'Mig-Su-Passw0rd' };

export interface Project {
  root: string;
  data: string;
  /** The default migrations directory: `<data>/../pb_migrations`. */
  migrations: string;
}

const roots: string[] = [];
const servers: ManagedProcess[] = [];

/** A fresh project directory (removed by `cleanUp`). */
export function project(prefix = 'nb-mig-'): Project {
  const root = mkdtempSync(join(tmpdir(), prefix));
  roots.push(root);
  return { root, data: join(root, 'pb_data'), migrations: join(root, 'pb_migrations') };
}

export async function cleanUp(): Promise<void> {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  roots.forEach((root) => rmSync(root, { recursive: true, force: true }));
}

export function writeMigration(dir: string, name: string, code: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), code);
  return join(dir, name);
}

export function migrationNames(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** `nestbase migrate …` on the project (its default migrations directory unless `args` says otherwise). */
export function migrateCli(p: Project, ...args: string[]): Promise<ProcessResult> {
  return runCli(['migrate', ...args, '--dir', p.data]);
}

export function assertExit(res: ProcessResult, code: number, what: string): void {
  assert.equal(res.code, code, `${what}: exit ${String(res.code)}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
}

/** A running server on the project with a superuser client. */
export interface Served {
  proc: ManagedProcess;
  su: (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => Promise<ApiResponse>;
}

export async function serve(p: Project, extra: string[] = []): Promise<Served> {
  const proc = await startNestbase(p.data, extra, { env: SU });
  servers.push(proc);
  const http = new HttpClient(proc.baseUrl);
  const token = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
  return {
    proc,
    su: (method, url, body) => http.request(method, url, { token, body }),
  };
}

/** The non-system collections as the API lists them, without timestamps, by name. */
export async function schemaOf(s: Served): Promise<Record<string, unknown>[]> {
  const res = await s.su('GET', '/api/collections?perPage=500&sort=name');
  assert.equal(res.status, 200);
  return res
    .json<{ items: Record<string, unknown>[] }>()
    .items.filter((c) => !c.system)
    .map(({ created: _c, updated: _u, ...rest }) => rest);
}
