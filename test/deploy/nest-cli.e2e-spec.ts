// nest-cli.json describes the monorepo as the Nest CLI reads it (@nestjs/cli is not installed here, so its rules are
// checked instead of run): one application per apps/* service with a tsconfig.app.json whose output lands where
// `nest start <app>` looks for it (outDir/sourceRoot/entryFile.js, what the start:<app> scripts run), and one
// library per `@lib/<name>` path alias of tsconfig.json, rooted where the alias points; `npm run build:app -- <app>`
// (scripts/build-app.js: what `nest build <app>` runs with the tsc builder) builds one app alone.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

import { ROOT, readText } from './deploy-files';

interface Project {
  type: 'application' | 'library';
  root: string;
  entryFile: string;
  sourceRoot: string;
  compilerOptions: { tsConfigPath: string };
}

const cli = JSON.parse(readText('nest-cli.json')) as {
  monorepo: boolean;
  root: string;
  sourceRoot: string;
  compilerOptions: { tsConfigPath: string; builder: string; deleteOutDir: boolean };
  projects: Record<string, Project>;
};
const paths = (JSON.parse(readText('tsconfig.json')) as { compilerOptions: { paths: Record<string, string[]> } })
  .compilerOptions.paths;
const scripts = (JSON.parse(readText('package.json')) as { scripts: Record<string, string> }).scripts;
// The Nest apps: every apps/* with a main.ts, less the dashboard (a Vue app that Vite builds).
const apps = readdirSync(join(ROOT, 'apps')).filter(
  (a) => existsSync(join(ROOT, 'apps', a, 'src', 'main.ts')) && !existsSync(join(ROOT, 'apps', a, 'vite.config.mts')),
);
const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The compiler options tsc resolves for `config` (extends followed), via `tsc --showConfig`. */
function showConfig(config: string): { compilerOptions: Record<string, unknown>; files?: string[] } {
  const out = spawnSync(process.execPath, [tsc, '-p', join(ROOT, config), '--showConfig'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr || out.stdout);
  return JSON.parse(out.stdout) as { compilerOptions: Record<string, unknown>; files?: string[] };
}

const BUILD_APP = join(ROOT, 'scripts', 'build-app.js');
let gateway: { built: SpawnSyncReturns<string>; out: string } | undefined;

/**
 * `npm run build:app -- gateway --outDir <tmp> --listFiles`, run once for the two tests that look at it (its output
 * files, and the source files its tsconfig took in): a type-checked build costs ~8 CPU-seconds.
 */
function buildGateway(): { built: SpawnSyncReturns<string>; out: string } {
  if (!gateway) {
    const out = mkdtempSync(join(tmpdir(), 'nestbase-build-app-'));
    const built = spawnSync(process.execPath, [BUILD_APP, 'gateway', '--outDir', out, '--listFiles'], {
      encoding: 'utf8',
    });
    gateway = { built, out };
  }
  return gateway;
}

void describe('nest-cli.json', () => {
  after(() => gateway && rmSync(gateway.out, { recursive: true, force: true }));

  void it('is a monorepo of the apps and libs, defaulting to the standalone app, built with tsc into dist/', () => {
    assert.equal(cli.monorepo, true);
    assert.equal(cli.compilerOptions.builder, 'tsc');
    assert.equal(cli.compilerOptions.deleteOutDir, false, 'one dist/ holds every app: a build must not wipe it');
    assert.equal(cli.projects.standalone.root, cli.root);
    assert.equal(cli.projects.standalone.sourceRoot, cli.sourceRoot);
    assert.equal(cli.compilerOptions.tsConfigPath, cli.projects.standalone.compilerOptions.tsConfigPath);
    const names = Object.values(cli.projects).map((p) => `${p.type}:${p.root}`);
    assert.equal(new Set(names).size, names.length, 'one project per root');
  });

  void it('has one application per service, whose build output is what its start script runs', () => {
    const applications = Object.entries(cli.projects).filter(([, p]) => p.type === 'application');
    assert.deepEqual(applications.map(([, p]) => p.root).sort(), apps.map((a) => `apps/${a}`).sort());
    for (const [name, project] of applications) {
      assert.equal(project.sourceRoot, `${project.root}/src`);
      assert.ok(existsSync(join(ROOT, project.sourceRoot, `${project.entryFile}.ts`)), `${name}: entry file`);
      const config = showConfig(project.compilerOptions.tsConfigPath);
      assert.notEqual(config.compilerOptions.noEmit, true, `${name}: its tsconfig emits`);
      assert.equal(config.compilerOptions.incremental, false, `${name}: no shared tsbuildinfo between app builds`);
      const outDir = resolve(ROOT, project.root, String(config.compilerOptions.outDir));
      const rootDir = resolve(ROOT, project.root, String(config.compilerOptions.rootDir));
      assert.equal(rootDir, ROOT, `${name}: rootDir is the repository, so dist/ mirrors it`);
      // `nest start <app>` runs outDir/sourceRoot/entryFile (start.action.ts); the start script runs the same file.
      const output = relative(ROOT, join(outDir, project.sourceRoot, `${project.entryFile}.js`));
      assert.equal(output, `dist/apps/${name}/src/main.js`);
      const script = scripts[`start:${name}`] ?? '';
      assert.ok(name === 'standalone' || script.endsWith(output), `start:${name} runs ${output}: ${script}`);
      assert.ok(!(config.files ?? []).some((f) => /\.spec\.ts$|^\.\.\/\.\.\/test\//.test(f)), `${name}: no tests`);
    }
  });

  void it('has one library per @lib path alias, rooted where the alias points', () => {
    const libraries = Object.values(cli.projects).filter((p) => p.type === 'library');
    const aliases = Object.entries(paths).map(([alias, [target]]) => ({ alias, target }));
    assert.equal(libraries.length, aliases.length);
    for (const { alias, target } of aliases) {
      const lib = libraries.find((p) => `${p.sourceRoot}/${p.entryFile}.ts` === target);
      assert.ok(lib, `${alias} -> ${target}: no library project`);
      assert.equal(lib.root, `libs/${alias.slice('@lib/'.length)}`);
      assert.ok(existsSync(join(ROOT, lib.compilerOptions.tsConfigPath)), `${lib.compilerOptions.tsConfigPath}`);
    }
  });

  void it("an app's tsconfig takes its libs through the path aliases, and no test code", () => {
    const { built } = buildGateway();
    assert.equal(built.status, 0, built.stderr || built.stdout);
    const files = built.stdout.split('\n').map((f) => relative(ROOT, f.trim()));
    assert.ok(files.includes('apps/gateway/src/main.ts'));
    assert.ok(files.includes('libs/gateway/src/index.ts'), 'a lib reached through @lib/gateway');
    assert.ok(files.includes('libs/core/src/index.ts'), 'a lib reached through @lib/core (it has spec files)');
    assert.deepEqual(
      files.filter((f) => /\.spec\.ts$|^test\/|^libs\/testing\//.test(f)),
      [],
    );
  });

  void it('builds one app with `npm run build:app -- <app>` (tsc on its nest-cli.json config)', () => {
    const { built, out } = buildGateway();
    assert.equal(built.status, 0, built.stderr || built.stdout);
    assert.ok(existsSync(join(out, 'apps', 'gateway', 'src', 'main.js')), 'the entry file');
    assert.ok(existsSync(join(out, 'libs', 'gateway', 'src', 'index.js')), 'a lib it imports');
    assert.ok(!existsSync(join(out, 'apps', 'records')), 'no other app');
    assert.ok(!existsSync(join(out, 'test')), 'no tests');
    assert.equal(scripts['build:app'], 'node scripts/build-app.js');
    const unknown = spawnSync(process.execPath, [BUILD_APP, 'nope'], { encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no project "nope" in nest-cli\.json; applications: standalone, gateway, auth/);
  });
});
