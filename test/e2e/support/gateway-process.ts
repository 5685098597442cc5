import { join } from 'node:path';

import { freePort, ManagedProcess, repoRoot, startProcess, STARTUP_CEILING_MS, waitForHealth } from '@lib/testing';

/** `nestbase gateway` on a free 127.0.0.1 port with `env`, ready (`/readyz`) on return; `baseUrl` is its address. */
export async function startGateway(env: Record<string, string>): Promise<ManagedProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [join(repoRoot(), 'bin', 'nestbase.js'), 'gateway', '--http', `127.0.0.1:${port}`];
  const proc = startProcess(args, { env });
  await waitForHealth(url, STARTUP_CEILING_MS, proc.child, () => proc.stderr(), '/readyz');
  return Object.assign(proc, { baseUrl: url });
}
