import { NB_METRICS, type HistogramChild } from '@lib/core';
import type { AccessLogEntry } from './access-log';

type LogFn = (entry: AccessLogEntry, started: number) => void;

/**
 * The gateway's per-request hook (the access log) with the proxied-request histogram in front of it, by
 * service and status (children bound once each). Without metrics: `log` unchanged.
 */
export function withUpstreamMetrics(log: LogFn | undefined, enabled: boolean): LogFn | undefined {
  if (!enabled) {
    return log;
  }
  const children = new Map<string, HistogramChild>();
  return (entry, started) => {
    const key = `${entry.status}${entry.service}`;
    let child = children.get(key);
    if (!child) {
      child = NB_METRICS.gatewayUpstream.labels(entry.service, String(entry.status));
      children.set(key, child);
    }
    child.observe((performance.now() - started) / 1000);
    log?.(entry, started);
  };
}
