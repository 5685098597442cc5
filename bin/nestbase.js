#!/usr/bin/env node
'use strict';
// `nestbase serve|superuser …` runs the standalone CLI; `nestbase gateway|auth|records|files|realtime [flags]`
// runs one service of the distributed set (the command of each docker-compose service). `nestbase help
// [command]` is `nestbase [command] --help`; `nestbase --version` prints the version.
// Node 22.1+: V8's compiled code kept on disk (NODE_COMPILE_CACHE, else <tmpdir>/node-compile-cache), so a second
// start of the same build skips most of module compilation (~20 % of a start); absent on Node 20, where this is a no-op.
require('node:module').enableCompileCache?.();
require('../scripts/paths.js');
// V8's heap settings, before anything else loads (see the file); a server starts without the optimizing compiler.
const heap = require('../dist/libs/core/src/platform/heap-flags.js');
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
  // `--help` and a bad flag are answered from the services' flag table alone (node:util, no Nest: ~40 ms, where
  // loading the service first cost ~0.5 s of CPU); the service itself is loaded only to run.
  const { answeredWithoutService } = require('../dist/libs/core/src/platform/service-cli.js');
  if (!answeredWithoutService(command, process.argv.slice(2))) {
    heap.startServing();
    require(`../dist/apps/${command}/src/main.js`);
  }
} else {
  if (command === 'serve' && !process.argv.includes('--help') && !process.argv.includes('-h')) {
    heap.startServing();
  }
  require('../dist/apps/standalone/src/main.js');
}
