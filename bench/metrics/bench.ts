import * as os from 'node:os';
import * as path from 'node:path';
import { runLoad } from '../records/load';
import { cpuMs, freePort, start, stop, waitHealthy } from '../records/processes';

/**
 * `node -r ./scripts/paths.js dist/bench/metrics/bench.js`: what the HTTP metrics add to one request, isolated
 * from the rest of nestbase: a bare Fastify server with and without them (server.ts), loaded alternately
 * (BENCH_ROUNDS, 4), server CPU µs per request, median per mode. The difference is the metrics' cost per request
 * (the hooks, the route template, the histogram), to compare with a nestbase route's CPU per request.
 */

const seconds = Number(process.env.BENCH_SECONDS ?? 4) || 4;
const rounds = Number(process.env.BENCH_ROUNDS ?? 4) || 4;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function once(mode: 'on' | 'off'): Promise<number> {
  const port = await freePort();
  const paths = path.join(__dirname, '..', '..', '..', 'scripts', 'paths.js');
  const server = start(mode, port, ['-r', paths, path.join(__dirname, 'server.js'), mode, String(port)], process.env);
  try {
    await waitHealthy(server, process.hrtime.bigint());
    let n = 0;
    const next = () => ({ method: 'GET' as const, path: `/api/collections/posts/records/r${n++ % 1000}` });
    await runLoad({ port, concurrency: 32, maxRequests: 2_000_000, durationMs: 1000, next });
    const before = cpuMs(server) ?? 0;
    const result = await runLoad({ port, concurrency: 32, maxRequests: 2_000_000, durationMs: seconds * 1000, next });
    return (((cpuMs(server) ?? 0) - before) * 1000) / result.requests;
  } finally {
    await stop(server);
  }
}

async function main(): Promise<void> {
  log(`metrics bench: node ${process.version}, ${os.cpus().length} CPUs, ${rounds} rounds of ${seconds} s`);
  const runs = { off: [] as number[], on: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    runs.off.push(await once('off'));
    runs.on.push(await once('on'));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const off = median(runs.off);
  const on = median(runs.on);
  log(`off: ${runs.off.map((x) => x.toFixed(1)).join(' ')} µs/req (median ${off.toFixed(1)})`);
  log(`on:  ${runs.on.map((x) => x.toFixed(1)).join(' ')} µs/req (median ${on.toFixed(1)})`);
  log(
    `metrics cost ${(on - off).toFixed(1)} µs CPU per request; of nestbase's quiet-machine routes: ` +
      `view 129 µs ${(((on - off) / 129) * 100).toFixed(1)} %, create 274 µs ${(((on - off) / 274) * 100).toFixed(1)} %, ` +
      `list 375 µs ${(((on - off) / 375) * 100).toFixed(1)} %`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
