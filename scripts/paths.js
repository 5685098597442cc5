'use strict';
// Resolves the `@lib/<name>` aliases of tsconfig.json in the compiled output (dist/), so
// `node dist/...` runs without a bundler. Loaded first by bin/nestbase.js and the test runner.
const Module = require('module');
const path = require('path');

const libsRoot = path.join(__dirname, '..', 'dist', 'libs');
const original = Module._resolveFilename;
Module._resolveFilename = function resolveLibAlias(request, ...rest) {
  if (request.startsWith('@lib/')) {
    return original.call(this, path.join(libsRoot, request.slice(5), 'src', 'index.js'), ...rest);
  }
  return original.call(this, request, ...rest);
};
