'use strict';
// The top self-time costs of a V8 CPU profile (`node --cpu-prof`, bench:records' BENCH_CPU_PROF): by function and by
// where the code lives (a package of node_modules, a lib or app of dist, Node's own, V8's garbage collector, idle).
//   node scripts/cpuprofile-top.js <file.cpuprofile> [count=10]
const fs = require('node:fs');

const [file, countArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/cpuprofile-top.js <file.cpuprofile> [count]\n');
  process.exit(2);
}
const count = Number(countArg) || 10;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

/** Microseconds of self time per node id, from the samples and their time deltas. */
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function place(url, name) {
  if (!url) {
    return name.startsWith('(') ? name : '(native)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    return pkg[1];
  }
  const own = /\/dist\/((?:libs|apps|bench)\/[^/]+)/.exec(url);
  if (own) {
    return own[1];
  }
  return url.startsWith('node:') ? 'node' : url;
}

const byFunction = new Map();
const byPlace = new Map();
let total = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) {
    continue;
  }
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  const where = place(url, name);
  const key = url ? `${name} ${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}` : name;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byPlace.set(where, (byPlace.get(where) ?? 0) + us);
  total += us;
}
const idle = byFunction.get('(idle)') ?? 0;
const busy = total - idle;

function table(title, map) {
  const rows = [...map].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]);
  const lines = rows
    .slice(0, count)
    .map(
      ([k, us]) => `${((us / busy) * 100).toFixed(1).padStart(6)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`,
    );
  return `${title}\n${lines.join('\n')}\n`;
}

process.stdout.write(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (shares below are of the busy time)\n` +
    table('by function (self time):', byFunction) +
    table('by place:', byPlace),
);
