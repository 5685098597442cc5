// Two servers on one database: two processes on one data directory, or in the `pg` tier (NB_TEST_POSTGRES_URL)
// two replicas on one fresh PostgreSQL database, each with its own data dir. `a` and `b` reach one each; `su` is
// the superuser's token (made through `a`); `stop` kills both and removes what they made. `extraEnv`: both servers'.
// `ownCluster`: in the `pg` tier, a PostgreSQL of the file's own rather than a database on the runner's (whose other
// databases' commits, from files running beside it, move every snapshot of the cluster).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  freshPostgresDatabase,
  HttpClient,
  ManagedProcess,
  PostgresServer,
  startNestbase,
  tokenFor,
} from '@lib/testing';

export interface TwoServers {
  a: HttpClient;
  b: HttpClient;
  su: string;
  stop(): Promise<void>;
}

export async function startTwoServers(
  name: string,
  superuser: { email: string; password: string },
  extraEnv: Record<string, string> = {},
  options: { ownCluster?: boolean } = {},
): Promise<TwoServers> {
  const procs: ManagedProcess[] = [];
  const dirs: string[] = [];
  const server = process.env.NB_TEST_POSTGRES_URL;
  const cluster = server && options.ownCluster ? await PostgresServer.start('nestbase_two') : null;
  const postgres = cluster
    ? { url: cluster.url, drop: () => cluster.stop() }
    : server
      ? await freshPostgresDatabase(server)
      : null;
  const stop = async (): Promise<void> => {
    procs.forEach((p) => p.kill());
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    await postgres?.drop();
  };
  try {
    const env = {
      ...extraEnv,
      PB_ADMIN_EMAIL: superuser.email,
      PB_ADMIN_PASSWORD: superuser.password,
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    };
    const dir = await mkdtemp(join(tmpdir(), `nestbase-${name}-`));
    dirs.push(dir);
    procs.push(await startNestbase(dir, [], { env }));
    const second = postgres ? await mkdtemp(join(tmpdir(), `nestbase-${name}-`)) : dir;
    if (second !== dir) {
      dirs.push(second);
    }
    procs.push(await startNestbase(second, [], { env }));
    const [a, b] = procs.map((p) => new HttpClient(p.baseUrl));
    return { a, b, su: await tokenFor(a, '_superusers', superuser.email, superuser.password), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
