// What a request emitted, seen from outside the server: a superuser realtime (SSE) client of the public API.
// Record events are published on the bus after commit and delivered by the realtime service one at a time in
// commit order, so a marker record created after the request is seen after every event the request caused:
// `settle()` creates one and returns what arrived before it. The same client works against a standalone
// server and through the gateway of the distributed set (no test-only code in the server).
import { STARTUP_CEILING_MS, WAIT_CEILING_MS } from './ceilings';
import { uniqueSuffix } from './factories';
import { HttpClient } from './http-client';
import { waitFor } from './wait';

/** The bus events a realtime client sees, by the name of `EventMap` in libs/core. */
export type ObservedEventName = 'record.created' | 'record.updated' | 'record.deleted';

/** `expectEvents`: how many of each event a request must emit; `'*'` counts every name not listed. */
export type ExpectedEvents = { [K in ObservedEventName | '*']?: number };

export interface ObservedEvent {
  name: ObservedEventName;
  topic: string;
  collection: string;
  id: string;
}

/** How long one probe of `open()` waits before it sends another. */
const PROBE_MS = 2000;

const NAMES: Record<string, ObservedEventName> = {
  create: 'record.created',
  update: 'record.updated',
  delete: 'record.deleted',
};

export class EventObserver {
  private readonly received: ObservedEvent[] = [];
  private readonly abort = new AbortController();
  private clientId = '';
  private failure = '';

  private constructor(
    private readonly http: HttpClient,
    private readonly token: string,
    private readonly marker: string,
  ) {}

  /** Connects, creates the marker collection and waits until its events get through. */
  static async open(http: HttpClient, superuserToken: string): Promise<EventObserver> {
    const marker = `nb_events_${uniqueSuffix(8)}`;
    const created = await http.request('POST', '/api/collections', {
      token: superuserToken,
      body: { name: marker, type: 'base', fields: [{ name: 'note', type: 'text' }] },
    });
    if (created.status !== 200) {
      throw new Error(`event observer: creating ${marker} gave ${created.status}: ${created.text.slice(0, 300)}`);
    }
    const observer = new EventObserver(http, superuserToken, marker);
    observer.listen();
    await waitFor(() => observer.clientId || observer.fail(), 'the event observer to connect', STARTUP_CEILING_MS);
    await observer.watch([]);
    // A replica that has not learnt of the marker collection yet drops its events: probe until one arrives
    // (the retry interval is no assertion: a slow machine only probes more often).
    const deadline = Date.now() + STARTUP_CEILING_MS;
    for (;;) {
      const id = await observer.sendMarker();
      const seen = await waitFor(() => observer.markerSeen(id) || observer.fail(), 'a marker', PROBE_MS).then(
        () => observer.markerSeen(id),
        () => false,
      );
      if (seen) {
        break;
      }
      if (observer.fail() || Date.now() > deadline) {
        throw new Error(`event observer: no marker event arrived (${observer.failure || 'ceiling reached'})`);
      }
    }
    observer.received.length = 0;
    return observer;
  }

  /** Subscribes to `topics` (`collection/*` or `collection/id`) besides the marker, replacing earlier ones. */
  async watch(topics: string[]): Promise<void> {
    const wildcards = new Set(topics.filter((t) => t.endsWith('/*')).map((t) => t.slice(0, -2)));
    // `c/*` and `c/id` both deliver an event of `c/id`: keep one topic per event so nothing counts twice.
    const kept = [...new Set(topics)].filter((t) => t.endsWith('/*') || !wildcards.has(t.split('/')[0] ?? ''));
    const res = await this.http.request('POST', '/api/realtime', {
      token: this.token,
      body: { clientId: this.clientId, subscriptions: [...kept, `${this.marker}/*`] },
    });
    if (res.status !== 204) {
      throw new Error(
        `event observer: subscribing to ${kept.join(', ')} gave ${res.status}: ${res.text.slice(0, 300)}`,
      );
    }
  }

  /** Every event delivered since the last `settle()`, in order (the marker's excluded). */
  async settle(): Promise<ObservedEvent[]> {
    const id = await this.sendMarker();
    await waitFor(() => this.markerSeen(id) || this.fail(), `the marker event ${this.marker}/${id}`, WAIT_CEILING_MS);
    if (this.failure) {
      throw new Error(`event observer: ${this.failure}`);
    }
    const at = this.received.findIndex((e) => e.collection === this.marker && e.id === id);
    const before = this.received.splice(0, at + 1).filter((e) => e.collection !== this.marker);
    return before;
  }

  close(): void {
    this.abort.abort();
  }

  private fail(): boolean {
    return this.failure !== '';
  }

  private markerSeen(id: string): boolean {
    return this.received.some((e) => e.collection === this.marker && e.id === id);
  }

  private async sendMarker(): Promise<string> {
    const res = await this.http.request('POST', `/api/collections/${this.marker}/records`, {
      token: this.token,
      body: { note: 'marker' },
    });
    const id = (res.body as { id?: unknown } | undefined)?.id;
    if (res.status !== 200 || typeof id !== 'string') {
      throw new Error(`event observer: the marker record gave ${res.status}: ${res.text.slice(0, 300)}`);
    }
    return id;
  }

  private listen(): void {
    const run = async (): Promise<void> => {
      const res = await fetch(`${this.http.baseUrl}/api/realtime`, {
        headers: { accept: 'text/event-stream' },
        signal: this.abort.signal,
      });
      if (res.status !== 200 || !res.body) {
        throw new Error(`GET /api/realtime gave ${res.status}`);
      }
      const decoder = new TextDecoder();
      let buffered = '';
      for await (const chunk of res.body) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffered.indexOf('\n\n');
        while (end >= 0) {
          this.frame(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf('\n\n');
        }
      }
      throw new Error('the realtime stream ended');
    };
    run().catch((err: unknown) => {
      if (!this.abort.signal.aborted) {
        this.failure = err instanceof Error ? err.message : String(err);
      }
    });
  }

  private frame(text: string): void {
    let event = '';
    let data = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('event:')) {
        event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data += line.slice(5);
      }
    }
    const parsed = JSON.parse(data || 'null') as {
      clientId?: string;
      action?: string;
      record?: Record<string, unknown>;
    };
    if (event === 'PB_CONNECT') {
      this.clientId = String(parsed?.clientId ?? '');
      return;
    }
    const name = NAMES[parsed?.action ?? ''];
    if (name && parsed?.record) {
      const named = parsed.record.collectionName;
      const collection = typeof named === 'string' ? named : (event.split('/')[0] ?? '');
      this.received.push({ name, topic: event, collection, id: String(parsed.record.id) });
    }
  }
}

/** Mismatches between the observed events and `expected` (empty when they agree). */
export function compareEvents(observed: ObservedEvent[], expected: ExpectedEvents): string[] {
  const counts: Record<string, number> = {};
  for (const e of observed) {
    counts[e.name] = (counts[e.name] ?? 0) + 1;
  }
  const out: string[] = [];
  let others = 0;
  for (const [name, n] of Object.entries(counts)) {
    if (!(name in expected)) {
      others += n;
    }
  }
  for (const [name, want] of Object.entries(expected)) {
    const got = name === '*' ? others : (counts[name] ?? 0);
    if (got !== want) {
      out.push(`${name}: expected ${String(want)}, got ${got}`);
    }
  }
  return out.length > 0 ? [...out, `observed: ${describeEvents(observed)}`] : [];
}

function describeEvents(events: ObservedEvent[]): string {
  return events.length === 0 ? 'nothing' : events.map((e) => `${e.name} ${e.collection}/${e.id}`).join(', ');
}
