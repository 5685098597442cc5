'use strict';
// Runs the compiled tests (dist/) with node's test runner: `unit` = *.spec.js beside the code,
// `medium` = test/medium/**/*.spec.js (real TypeORM/Redis, no HTTP server), `e2e` = test/e2e/*.e2e-spec.js
// (each starts its own server), no argument = all three. `unit` and the full run also run the dashboard's
// Vitest tests (apps/dashboard/src/**/*.test.ts) first; the browser flows are e2e (test/browser).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'dist');
const kind = process.argv[2] ?? 'all';

function find(dir, suffix, out = []) {
  if (!fs.existsSync(dir)) {
    return out;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      find(full, suffix, out);
    } else if (entry.name.endsWith(suffix)) {
      out.push(full);
    }
  }
  return out;
}

const files = [];
if (kind === 'all' || kind === 'unit') {
  files.push(...find(path.join(root, 'libs'), '.spec.js'), ...find(path.join(root, 'apps'), '.spec.js'));
}
if (kind === 'all' || kind === 'medium') {
  files.push(...find(path.join(root, 'test', 'medium'), '.spec.js'));
}
if (kind === 'all' || kind === 'e2e') {
  files.push(...find(path.join(root, 'test'), '.e2e-spec.js'));
}
if (files.length === 0) {
  process.stderr.write('no compiled tests found: run `npm run build` first\n');
  process.exit(1);
}
let dashboardStatus = 0;
if (kind === 'all' || kind === 'unit') {
  const vitest = path.join(__dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
  const config = path.join(__dirname, '..', 'apps', 'dashboard', 'vite.config.mts');
  dashboardStatus = spawnSync(process.execPath, [vitest, 'run', '--config', config], { stdio: 'inherit' }).status ?? 1;
}
const result = spawnSync(
  process.execPath,
  ['-r', path.join(__dirname, 'paths.js'), '--test', '--test-concurrency=2', ...files.sort()],
  { stdio: 'inherit' },
);
process.exit(dashboardStatus !== 0 ? dashboardStatus : (result.status ?? 1));
