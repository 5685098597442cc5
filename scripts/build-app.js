'use strict';
// `npm run build:app -- <project> [tsc options]`: builds one project of nest-cli.json the way `nest build <project>`
// does with its tsc builder (the Nest CLI isn't a dependency): `tsc -p` on the project's tsConfigPath. An app's
// output lands in dist/ beside the others (dist/apps/<app>/src/main.js, what `npm run start:<app>` runs), with
// the libs it imports; extra arguments go to tsc (`--outDir DIR` builds elsewhere).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const { projects } = JSON.parse(fs.readFileSync(path.join(root, 'nest-cli.json'), 'utf8'));
const [name, ...tscArgs] = process.argv.slice(2);
const project = name === undefined ? undefined : projects[name];
if (!project) {
  process.stderr.write(
    `usage: npm run build:app -- <project> [tsc options]\n` +
      `${name === undefined ? 'no project given' : `no project "${name}" in nest-cli.json`}; ` +
      `applications: ${Object.keys(projects)
        .filter((p) => projects[p].type === 'application')
        .join(', ')}; libraries: ${Object.keys(projects)
        .filter((p) => projects[p].type === 'library')
        .join(', ')}\n`,
  );
  process.exit(2);
}
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const config = path.join(root, project.compilerOptions.tsConfigPath);
const result = spawnSync(process.execPath, [tsc, '-p', config, ...tscArgs], { stdio: 'inherit' });
process.exit(result.status ?? 1);
