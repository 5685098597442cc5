'use strict';
// Test-only hook for the temp build of this lib (see README.md): resolves `@lib/<name>` to
// /tmp/qbuild/libs/<name>/src/index.js and bare packages from the repo's node_modules.
const Module = require('module');
const path = require('path');

const libsRoot = '/tmp/qbuild/libs';
const repoRoot = path.join(__dirname, '..', '..');
const original = Module._resolveFilename;
Module._resolveFilename = function resolveLibAlias(request, parent, ...rest) {
  if (request.startsWith('@lib/')) {
    return original.call(this, path.join(libsRoot, request.slice(5), 'src', 'index.js'), parent, ...rest);
  }
  try {
    return original.call(this, request, parent, ...rest);
  } catch (err) {
    if (request.startsWith('.') || path.isAbsolute(request)) {
      throw err;
    }
    return require.resolve(request, { paths: [repoRoot] });
  }
};
