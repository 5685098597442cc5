'use strict';
// The package's main entry: `const { NestBase } = require('nestbase')`. Resolves the @lib aliases of the
// compiled output, then exports apps/standalone/src/index.ts as built by `npm run build`.
require('./scripts/paths.js');
module.exports = require('./dist/apps/standalone/src/index.js');
