#!/usr/bin/env node
'use strict';
// `nestbase serve|superuser …` runs the standalone CLI; `nestbase gateway|auth|records|files|realtime [flags]`
// runs one service of the distributed set (the command of each docker-compose service). `nestbase help
// [command]` is `nestbase [command] --help`; `nestbase --version` prints the version.
require('../scripts/paths.js');
const SERVICES = new Set(['gateway', 'auth', 'records', 'files', 'realtime']);
let command = process.argv[2];
if (command === 'help') {
  const rest = process.argv.slice(3);
  process.argv.splice(2, process.argv.length, ...rest, '--help');
  command = process.argv[2];
}
if (command === '--version' || command === '-v' || command === 'version') {
  process.stdout.write(`nestbase ${require('../package.json').version}\n`);
} else if (SERVICES.has(command)) {
  process.argv.splice(2, 1);
  require(`../dist/apps/${command}/src/main.js`);
} else {
  require('../dist/apps/standalone/src/main.js');
}
