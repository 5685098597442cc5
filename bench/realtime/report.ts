import type { ClientReply } from './protocol';

export interface PhaseResult {
  label: string;
  connections: number;
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  /** Median over events of deliveries per second while one event fans out (count / (last receipt − commit)). */
  fanOutRate: number;
  /** Median over events of the time from commit to the last receipt. */
  fanOutMs: number;
  rssPer1000: number;
  rssDeltaPer1000: number;
  connectMs: number;
  /** Median server time to check and queue one event for every subscriber (nestbase rows). */
  serverMs: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const median = (xs: number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    50,
  );

export function summarize(
  label: string,
  n: number,
  markers: string[],
  commits: Record<string, number>,
  reports: Extract<ClientReply, { type: 'report' }>[],
  mem: { baseRss: number; heldRss: number; connectMs: number; deliverMs: number[] },
): PhaseResult {
  const latencies: number[] = [];
  const rates: number[] = [];
  const spans: number[] = [];
  let delivered = 0;
  for (const marker of markers) {
    const commit = commits[marker];
    const times = reports.flatMap((r) => r.receipts[marker] ?? []);
    delivered += times.length;
    if (commit === undefined || times.length === 0) {
      continue;
    }
    let last = 0;
    for (const t of times) {
      latencies.push(t - commit);
      last = Math.max(last, t - commit);
    }
    spans.push(last);
    rates.push(times.length / (last / 1000));
  }
  latencies.sort((a, b) => a - b);
  const k = n / 1000;
  return {
    label,
    connections: n,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    delivered: delivered / (markers.length * n),
    fanOutRate: median(rates),
    fanOutMs: median(spans),
    rssPer1000: mem.heldRss / 1024 / 1024 / k,
    rssDeltaPer1000: (mem.heldRss - mem.baseRss) / 1024 / 1024 / k,
    connectMs: mem.connectMs,
    serverMs: mem.deliverMs.length > 0 ? median(mem.deliverMs) : NaN,
  };
}

export function table(results: PhaseResult[], log: (line: string) => void): void {
  const raw = results.find((r) => r.label.startsWith('raw'));
  log(
    'row                    conns   p50 ms   p99 ms   max ms  delivered  fan-out ms  deliveries/s  vs raw  RSS MB/1k (Δ)  connect s  server ms',
  );
  for (const r of results) {
    const vsRaw = raw ? `${((r.fanOutRate / raw.fanOutRate) * 100).toFixed(0)}%` : '-';
    log(
      [
        r.label.padEnd(20),
        String(r.connections).padStart(7),
        r.p50.toFixed(1).padStart(8),
        r.p99.toFixed(1).padStart(8),
        r.max.toFixed(1).padStart(8),
        `${(r.delivered * 100).toFixed(2)}%`.padStart(10),
        r.fanOutMs.toFixed(1).padStart(11),
        Math.round(r.fanOutRate).toLocaleString('en-US').padStart(13),
        vsRaw.padStart(7),
        `${r.rssPer1000.toFixed(1)} (${r.rssDeltaPer1000.toFixed(1)})`.padStart(14),
        (r.connectMs / 1000).toFixed(1).padStart(10),
        (Number.isNaN(r.serverMs) ? '-' : r.serverMs.toFixed(1)).padStart(10),
      ].join(' '),
    );
  }
}
