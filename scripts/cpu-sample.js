'use strict';
// Where a process tree spends its CPU: samples /proc every 500 ms for every descendant of a pid (itself included)
// and prints the CPU-seconds each kind of process used during the window, largest first. A process's kind is its
// command line with ports, temporary paths and numbers folded (`node bin/nestbase.js records`, `postgres: …`).
//   node scripts/cpu-sample.js <pid> [seconds=60]      (stops earlier when <pid> exits, or on Ctrl-C)
// The figures are user + system time, counted from each process's first sample (so a process born in the window
// counts from birth, one that exits keeps its last sample).
const fs = require('node:fs');

const [pidArg, secondsArg = '60'] = process.argv.slice(2);
const root = Number(pidArg);
if (!Number.isInteger(root) || root <= 0) {
  process.stderr.write('usage: node scripts/cpu-sample.js <pid> [seconds]\n');
  process.exit(2);
}
const TICK = 100; // USER_HZ on Linux
const read = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** pid → { ppid, ticks } of every live process. */
function snapshot() {
  const all = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    all.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return all;
}

function descendants(all) {
  const mine = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of all) {
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  return mine;
}

const kindOf = (pid) => {
  const cmd = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
  return cmd
    .replace(/\/tmp\/\S+/g, '<tmp>')
    .replace(/127\.0\.0\.1:\d+/g, '<addr>')
    .replace(/\d+/g, 'N')
    .slice(0, 110);
};

const started = Date.now();
const first = new Map(); // pid → ticks at first sight
const last = new Map(); // pid → latest ticks
const kinds = new Map(); // pid → kind
function sample() {
  const all = snapshot();
  for (const pid of descendants(all)) {
    if (!all.has(pid)) {
      continue; // the root itself, once it exited
    }
    const ticks = all.get(pid).ticks;
    if (!first.has(pid)) {
      first.set(pid, ticks);
      kinds.set(pid, kindOf(pid));
    }
    last.set(pid, ticks);
  }
}

sample();
const timer = setInterval(sample, 500);
// Stops at the end of the window, when the root process is gone, or on Ctrl-C, and prints what it saw.
const stop = setTimeout(report, Number(secondsArg) * 1000);
const watch = setInterval(() => !fs.existsSync(`/proc/${root}`) && report(), 1000);
process.on('SIGINT', report);
process.on('SIGTERM', report);

function report() {
  [timer, watch].forEach(clearInterval);
  clearTimeout(stop);
  sample();
  const byKind = new Map();
  for (const [pid, ticks] of last) {
    const kind = kinds.get(pid);
    const entry = byKind.get(kind) ?? { ticks: 0, count: 0 };
    entry.ticks += ticks - first.get(pid);
    entry.count += 1;
    byKind.set(kind, entry);
  }
  const rows = [...byKind].sort((a, b) => b[1].ticks - a[1].ticks);
  const total = rows.reduce((sum, [, e]) => sum + e.ticks, 0);
  const window = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(`# ${(total / TICK).toFixed(1)} CPU-s in ${window} s over ${last.size} processes\n`);
  for (const [kind, e] of rows.filter(([, e]) => e.ticks > 0)) {
    process.stdout.write(`${(e.ticks / TICK).toFixed(2).padStart(8)}  x${String(e.count).padEnd(3)} ${kind}\n`);
  }
  process.exit(0);
}
