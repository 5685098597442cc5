import * as http from 'node:http';
import WebSocket from 'ws';
import { MARKER, now, type ClientJob, type ClientReply, type ClientRequest } from './protocol';

/**
 * A benchmark client process: opens its share of connections (WebSocket with `?token=`, SSE streams with a
 * subscription POST, or bare `ws` connections to the raw baseline server), notes when each event's marker
 * arrives on each connection, and reports the receipt times. Message bodies are not parsed: a regex finds the
 * marker, so the clients cost as little CPU as possible on the machine they share with the server.
 */
const MARKERS = new RegExp(MARKER.source, 'g');
const receipts = new Map<string, number[]>();
const closers: (() => void)[] = [];
let sample = '';
let closed = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const reply = (message: ClientReply) => process.send?.(message);

/** Notes the markers of `text` not yet seen on this connection (`seen`); SSE chunks may split or join frames. */
function received(text: string, seen: Set<string>): void {
  const t = now();
  for (const [marker] of text.matchAll(MARKERS)) {
    if (seen.has(marker)) {
      continue;
    }
    seen.add(marker);
    sample ||= text;
    const list = receipts.get(marker);
    if (list) {
      list.push(t);
    } else {
      receipts.set(marker, [t]);
    }
  }
}

function openWs(job: ClientJob, i: number): Promise<void> {
  const token = job.tokens[i % job.tokens.length];
  const query = job.kind === 'ws' ? `/api/realtime?token=${token}` : '/';
  const ws = new WebSocket(`ws://127.0.0.1:${job.port}${query}`, { perMessageDeflate: false });
  const seen = new Set<string>();
  closers.push(() => ws.terminate());
  ws.on('close', () => closed++);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (job.kind === 'raw' || text.includes('"type":"connected"')) {
        resolve();
      }
      received(text, seen);
    });
    if (job.kind === 'raw') {
      ws.once('open', () => resolve());
    }
  });
}

function openSse(job: ClientJob, i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: job.port, path: '/api/realtime' }, (res) => {
      res.setEncoding('utf8');
      let subscribed = false;
      let tail = '';
      const seen = new Set<string>();
      res.on('data', (chunk: string) => {
        if (!subscribed) {
          const id = /"clientId":"(\w+)"/.exec(chunk)?.[1];
          if (id) {
            subscribed = true;
            subscribe(job, id, job.tokens[i % job.tokens.length]).then(resolve, reject);
          }
          return;
        }
        received(tail + chunk, seen);
        tail = chunk.slice(-40);
      });
      res.on('close', () => closed++);
    });
    req.once('error', reject);
    closers.push(() => req.destroy());
  });
}

function subscribe(job: ClientJob, clientId: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ clientId, subscriptions: [job.topic] });
    const req = http.request(
      {
        host: '127.0.0.1',
        port: job.port,
        path: '/api/realtime',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: token },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`POST ${res.statusCode}`))));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

async function open(job: ClientJob): Promise<void> {
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < job.count) {
      const i = next++;
      await (job.kind === 'sse' ? openSse(job, i) : openWs(job, i)).catch(() => failed++);
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  reply({ type: 'opened', open: job.count - failed, failed });
}

process.on('message', (message: ClientRequest) => {
  switch (message.type) {
    case 'open':
      void open(message.job);
      return;
    case 'report':
      reply({ type: 'report', receipts: Object.fromEntries(receipts), sample, closed });
      receipts.clear();
      return;
    case 'close':
      closers.forEach((close) => close());
      agent.destroy();
      setTimeout(() => process.exit(0), 200);
      return;
  }
});
