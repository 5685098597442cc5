/** Wall-clock milliseconds with sub-millisecond resolution, comparable across the benchmark's processes. */
export const now = (): number => performance.timeOrigin + performance.now();

export type ServerRequest =
  | { type: 'rss' }
  | { type: 'commits' }
  | { type: 'stats' }
  | { type: 'broadcast'; marker: string; payload: string }
  | { type: 'stop' };

export type ServerReply =
  | { type: 'ready'; port: number; rawPort: number; fdLimit: number }
  | { type: 'rss'; rss: number; clients: number }
  | { type: 'commits'; commits: Record<string, number>; deliverMs: number[] }
  | { type: 'stats'; stats: Record<string, number> };

/** What one client process opens: `count` connections of one kind, tokens used round-robin. */
export interface ClientJob {
  kind: 'ws' | 'sse' | 'raw';
  port: number;
  count: number;
  tokens: string[];
  /** SSE only: the subscription POSTed for each stream. */
  topic: string;
}

export type ClientRequest = { type: 'open'; job: ClientJob } | { type: 'report' } | { type: 'close' };

export type ClientReply =
  | { type: 'opened'; open: number; failed: number }
  | { type: 'report'; receipts: Record<string, number[]>; sample: string; closed: number };

/** Record titles carry this marker so every process can match a message to its event. */
export const MARKER = /ev\d+_[a-z0-9]+/;
