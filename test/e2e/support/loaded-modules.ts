// What a CLI process loaded: `runCliLoading` runs `nestbase …` with a preloaded probe (`node --require`, through
// NODE_OPTIONS) that writes the files of every module it required to a file at exit, so a test can tell that the
// help texts and usage errors are answered without loading NestJS, TypeORM or a service.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

import { ProcessOptions, ProcessResult, runCli } from '@lib/testing';

/** The CLI's own light modules: the standalone CLI's entry and usage texts, the services' flag table. */
const LIGHT = [
  join('dist', 'apps', 'standalone', 'src', 'main.js'),
  join('dist', 'apps', 'standalone', 'src', 'cli.js'),
  join('dist', 'apps', 'standalone', 'src', 'cli-usage.js'),
  join('dist', 'libs', 'core', 'src', 'platform', 'service-cli.js'),
  join('dist', 'libs', 'core', 'src', 'platform', 'heap-flags.js'),
];

/** Runs `nestbase …args` and returns its result with the modules it loaded that are not the CLI's light ones. */
export async function runCliLoading(
  args: string[],
  options: ProcessOptions = {},
): Promise<{ res: ProcessResult; heavy: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'nestbase-loaded-'));
  try {
    const out = join(dir, 'loaded.txt');
    const probe = join(dir, 'probe.js');
    writeFileSync(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, ` +
        `Object.keys(require.cache).join('\\n')));\n`,
    );
    const env = { ...options.env, NODE_OPTIONS: `--require ${probe}` };
    const res = await runCli(args, { ...options, env });
    const loaded = readFileSync(out, 'utf8').split('\n');
    const heavy = loaded.filter(
      (file) =>
        file.includes(`${sep}node_modules${sep}`) ||
        (file.includes(`${sep}dist${sep}`) && !LIGHT.some((light) => file.endsWith(light))),
    );
    return { res, heavy };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
