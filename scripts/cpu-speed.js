'use strict';
// How fast this machine's CPU runs the same work over a test run: every 30 s the runner's own process times a fixed
// integer loop in CPU milliseconds (not wall: a loaded machine only delays it). On a virtual machine the same work
// can cost twice the CPU time when the host is busy, which no load average shows; this tells a slow run on a slow
// machine from a run that does more work (the runner prints it beside the tiers' CPU).
const LOOP = 20_000_000;
const EVERY_MS = 30_000;

function timeLoop() {
  const before = process.cpuUsage();
  let x = 0;
  for (let i = 0; i < LOOP; i++) {
    x = (x + i * 7) % 1_000_003;
  }
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, x };
}

/** Starts sampling; `stop()` returns one summary line (min / median / max CPU ms of the loop, and the count). */
function startCpuSpeedProbe() {
  timeLoop(); // compiled and warm before the first sample
  const samples = [timeLoop().ms];
  const timer = setInterval(() => samples.push(timeLoop().ms), EVERY_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const sorted = [...samples].sort((a, b) => a - b);
      const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0);
      return `# cpu speed: a fixed loop took ${at(0)} / ${at(0.5)} / ${at(1)} ms of CPU (min / median / max of ${sorted.length}, every 30 s; the same work, so a higher figure is a slower machine)`;
    },
  };
}

module.exports = { startCpuSpeedProbe };
