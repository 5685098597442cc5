// docker/Dockerfile, parsed with dockerfile-ast: multi-stage, a slim non-root runtime that ships only
// production modules and the compiled apps/libs, a HEALTHCHECK on /readyz, the service chosen by the command.
// No Docker engine here, so the runtime stage's file set is assembled in a temp dir (dockerfile-layout.ts)
// and started the way the image starts, HEALTHCHECK included.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Instruction } from 'dockerfile-ast';

import { ManagedProcess, freePort, startProcess } from '@lib/testing';

import { readText } from './deploy-files';
import {
  Stage,
  assembleRuntime,
  dockerignoreExcludes,
  exec,
  flags,
  inLayout,
  jsonArgs,
  parseStages,
  runHealthcheck,
  words,
} from './dockerfile-layout';

const stages = parseStages(readText('docker/Dockerfile'));
const runtime = stages[stages.length - 1];

function only(stage: Stage, keyword: string): Instruction {
  const found = stage.instructions.filter((i) => i.getKeyword() === keyword);
  assert.equal(found.length, 1, `one ${keyword} in stage ${stage.name}`);
  return found[0];
}

function runs(stage: Stage): string[] {
  return stage.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
}

void describe('docker/Dockerfile', () => {
  void it('is multi-stage: native-addon toolchain, build, and a slim Node 22/24 LTS runtime', () => {
    assert.ok(stages.length >= 3, `stages: ${stages.map((s) => s.name).join(', ')}`);
    assert.equal(new Set(stages.map((s) => s.name)).size, stages.length, 'unique stage names');
    assert.match(runtime.image, /^node:(22|24)(\.\d+)*-(bookworm-|bullseye-|trixie-)?slim$/);
    const engines = (JSON.parse(readText('package.json')) as { engines: { node: string } }).engines.node;
    assert.match(
      engines,
      /\^20\.19\.0 \|\| \^22\.13\.0 \|\| >=24\.11\.0/,
      'engines: the range of the strictest dependency',
    );
    const toolchain = stages.find((s) => runs(s).some((r) => /apt-get install.*\bg\+\+/.test(r)));
    assert.ok(toolchain && toolchain !== runtime, 'a stage installs compilers for the native addons');
    const build = stages.find((s) => runs(s).some((r) => /\bnpm run build\b/.test(r)));
    assert.ok(build, 'a stage runs npm run build');
    assert.ok(
      runs(build).some((r) => /\bnpm ci\b/.test(r) && !/--omit/.test(r)),
      'the build stage installs every dependency',
    );
  });

  void it('the runtime stage installs nothing and copies node_modules pruned to production after one `npm ci`', () => {
    for (const command of runs(runtime)) {
      assert.doesNotMatch(command, /\b(npm|yarn|pnpm)\b|apt-get/, `runtime RUN: ${command}`);
    }
    const copies = runtime.instructions.filter((i) => i.getKeyword() === 'COPY');
    const modules = copies.filter((c) => words(c).some((w) => w.includes('node_modules')));
    assert.equal(modules.length, 1);
    const from = stages.find((s) => s.name === flags(modules[0]).from);
    assert.ok(from, 'node_modules comes from another stage');
    const all = stages.flatMap(runs).join(' && ');
    assert.equal(all.match(/\bnpm ci\b/g)?.length, 1, 'one npm ci in the whole Dockerfile');
    const steps = runs(from).join(' && ');
    const ci = steps.search(/\bnpm ci\b(?![^&]*--omit)/);
    const build = steps.search(/\bnpm run build\b/);
    const prune = steps.search(/\bnpm prune --omit=dev\b/);
    assert.ok(
      ci >= 0 && build > ci && prune > build,
      `${from.name}: npm ci, then the build, then npm prune --omit=dev`,
    );
    const installs = all.match(/\bnpm (install|i)\b[^&]*/g) ?? [];
    assert.ok(
      installs.every((i) => /-g\s+"?npm@/.test(i)),
      `no other install: ${installs.join('; ')}`,
    );
  });

  void it('keeps typescript through the prune: the hooks loader compiles .pb.ts files with it at run time', () => {
    assert.match(readText('libs/hooks/src/loader/module-runner.ts'), /require\('typescript'\)/);
    const steps = runs(stages.find((s) => runs(s).some((r) => /npm prune/.test(r)))!).join(' && ');
    const saved = steps.search(/mv node_modules\/typescript (\S+)/);
    const prune = steps.search(/npm prune --omit=dev/);
    const restored = steps.search(/mv \S+ node_modules\/typescript/);
    assert.ok(saved >= 0 && saved < prune && prune < restored, steps);
  });

  void it('the runtime stage ships dist/apps, dist/libs and the built dashboard only (no tests, benchmarks or sources)', () => {
    const sources = runtime.instructions
      .filter((i) => i.getKeyword() === 'COPY')
      .flatMap((c) => words(c).slice(0, -1))
      .filter((w) => !w.startsWith('--'));
    const dist = sources.filter((s) => s.includes('dist'));
    assert.deepEqual(dist.sort(), ['/app/dist/apps', '/app/dist/dashboard', '/app/dist/libs']);
    for (const forbidden of [/^\.$/, /^apps$/, /^libs$/, /^test/, /^bench/, /tsconfig/, /^\/app\/dist\/?$/]) {
      assert.ok(!sources.some((s) => forbidden.test(s)), `runtime copies ${forbidden}`);
    }
  });

  void it('runs as a non-root user that owns the /pb_data volume', () => {
    const user = only(runtime, 'USER').getArgumentsContent() ?? '';
    assert.ok(!['root', '0'].includes(user.split(':')[0]), `USER ${user}`);
    assert.ok(
      runs(runtime).some((r) => new RegExp(`chown (-R )?${user}(:${user})? /pb_data`).test(r)),
      'chown /pb_data',
    );
    const volume = only(runtime, 'VOLUME');
    assert.ok(jsonArgs(volume).includes('/pb_data') || words(volume).includes('/pb_data'));
    const order = runtime.instructions.map((i) => i.getKeyword());
    assert.ok(order.lastIndexOf('RUN') < order.indexOf('USER'), 'every RUN of the runtime stage comes before USER');
    assert.ok(order.indexOf('USER') < order.indexOf('ENTRYPOINT'));
  });

  void it('starts node bin/nestbase.js: standalone on 0.0.0.0:8090 with /pb_data by default, a service by command', () => {
    assert.deepEqual(jsonArgs(only(runtime, 'ENTRYPOINT')), ['node', 'bin/nestbase.js']);
    assert.deepEqual(jsonArgs(only(runtime, 'CMD')), ['serve', '--http', '0.0.0.0:8090', '--dir', '/pb_data']);
    assert.equal(only(runtime, 'EXPOSE').getArgumentsContent(), '8090');
  });

  void it('has an exec-form HEALTHCHECK run by node (no curl in the slim image)', () => {
    const check = only(runtime, 'HEALTHCHECK');
    const command = exec(check);
    assert.equal(command[0], 'node');
    assert.match(readText(command[1]), /\/readyz/);
    const options = flags(check);
    assert.ok(options.interval && options.timeout && options['start-period'], JSON.stringify(options));
  });

  void it('.dockerignore lets in every file a COPY takes from the context, and keeps secrets and build output out', () => {
    const ignore = readText('.dockerignore');
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.getKeyword() === 'COPY')) {
        if (flags(copy).from !== undefined) {
          continue;
        }
        for (const source of words(copy).slice(0, -1)) {
          assert.ok(!dockerignoreExcludes(ignore, source), `${stage.name}: COPY ${source} is ignored`);
        }
      }
    }
    for (const path of ['node_modules/x', 'dist/apps/x.js', 'pb_data/data.db', '.env', '.git/HEAD', 'test/e2e/x.ts']) {
      assert.ok(dockerignoreExcludes(ignore, path), `${path} reaches the build context`);
    }
    assert.ok(dockerignoreExcludes(ignore, 'libs/core/src/x.spec.ts'));
    assert.ok(!dockerignoreExcludes(ignore, 'libs/core/src/x.ts'));
  });
});

void describe('the runtime image layout, run without Docker', () => {
  const procs: ManagedProcess[] = [];
  const servers: Server[] = [];
  const layout = assembleRuntime(stages);
  after(() => {
    procs.forEach((p) => p.kill());
    servers.forEach((s) => s.close());
    rmSync(layout.dir, { recursive: true, force: true, maxRetries: 5 });
  });
  const healthcheck = exec(only(runtime, 'HEALTHCHECK'));
  // A TypeScript hook in the image's /pb_hooks volume: the services that run hooks must compile and load it.
  writeFileSync(
    join(layout.dir, 'pb_hooks', 'hello.pb.ts'),
    `type App = { routerAdd(method: string, path: string, handler: (e: { json(s: number, b: unknown): void }) => void): void };
export default (app: App): void => {
  const greeting: string = 'hello from a .pb.ts hook';
  app.routerAdd('GET', '/api/hello-ts', (e) => e.json(200, { greeting }));
};
`,
  );

  void it('the HEALTHCHECK exits 0 when /readyz answers 200, 1 on another status or no answer', async () => {
    let status = 200;
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // NB_HTTP as the image sets it (0.0.0.0:<port>): the check asks the loopback.
    const env = { NB_HTTP: `0.0.0.0:${port}` };
    assert.equal(await runHealthcheck(layout, healthcheck, env), 0);
    status = 503;
    assert.equal(await runHealthcheck(layout, healthcheck, env), 1);
    assert.deepEqual(paths, ['/readyz', '/readyz']);
    server.close();
    assert.equal(await runHealthcheck(layout, healthcheck, env), 1, 'nothing listening');
  });

  for (const service of ['(default CMD: serve)', 'records']) {
    void it(`the runtime files run ${service} as the image would, .pb.ts hooks loaded, until SIGTERM stops it`, async () => {
      const port = await freePort();
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(layout.env)) {
        env[key] = key === 'NB_HTTP' ? `127.0.0.1:${port}` : inLayout(layout, value);
      }
      const command =
        service === 'records'
          ? [layout.command[0], 'records']
          : layout.command.map((a) => (a === '0.0.0.0:8090' ? env.NB_HTTP : inLayout(layout, a)));
      const proc = startProcess(command, { cwd: layout.dir, env }, `http://127.0.0.1:${port}`);
      procs.push(proc);
      const deadline = Date.now() + 60_000;
      let code = await runHealthcheck(layout, healthcheck, env);
      while (code !== 0 && Date.now() < deadline && proc.child.exitCode === null) {
        await sleep(500);
        code = await runHealthcheck(layout, healthcheck, env);
      }
      assert.equal(code, 0, `HEALTHCHECK never passed; stderr: ${proc.stderr()}`);
      const hook = await fetch(`http://127.0.0.1:${port}/api/hello-ts`);
      assert.deepEqual(await hook.json(), { greeting: 'hello from a .pb.ts hook' }, 'the .pb.ts hook is loaded');
      const stopped = await proc.stop('SIGTERM');
      assert.equal(stopped.code, 0, `after SIGTERM: ${stopped.stderr}`);
    });
  }
});
