#!/usr/bin/env node
'use strict';
// `nestbase serve|superuser …` runs the standalone CLI; `nestbase gateway|auth|records|files|realtime [flags]`
// runs one service of the distributed set (the command of each docker-compose service).
require('../scripts/paths.js');
const SERVICES = new Set(['gateway', 'auth', 'records', 'files', 'realtime']);
const service = process.argv[2];
if (SERVICES.has(service)) {
  process.argv.splice(2, 1);
  require(`../dist/apps/${service}/src/main.js`);
} else {
  require('../dist/apps/standalone/src/main.js');
}
