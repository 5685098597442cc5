// An OTLP/HTTP trace receiver in the test process: `POST /v1/traces` with the JSON body the
// @opentelemetry/exporter-trace-otlp-http exporter sends (hex trace and span ids), every span kept with
// its resource's `service.name`. `tree(traceId)` draws one trace as indented lines (for messages and notes).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  start: bigint;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  attributes?: OtlpAttribute[];
}
interface OtlpBody {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const valueOf = (v: OtlpValue): unknown => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
const attributes = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Content types of the bodies received (the exporter must send JSON). */
  readonly contentTypes = new Set<string>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver(createServer((req, res) => receiver.handle(req, res)));
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The value of `OTEL_EXPORTER_OTLP_ENDPOINT` for the processes under test. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  /** One trace as an indented tree: `service: span name`, children under their parent, by start time. */
  tree(traceId: string): string {
    const spans = this.trace(traceId).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const ids = new Set(spans.map((s) => s.spanId));
    const lines: string[] = [];
    const walk = (parent: string, depth: number) => {
      for (const span of spans.filter((s) => (parent === '' ? !ids.has(s.parentSpanId) : s.parentSpanId === parent))) {
        lines.push(`${'  '.repeat(depth)}${span.service}: ${span.name}`);
        walk(span.spanId, depth + 1);
      }
    };
    walk('', 0);
    return lines.join('\n');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.contentTypes.add(String(req.headers['content-type']));
      if (req.method === 'POST' && req.url === '/v1/traces') {
        try {
          this.take(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody);
        } catch {
          res.writeHead(400).end();
          return;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }

  private take(body: OtlpBody): void {
    for (const rs of body.resourceSpans ?? []) {
      const name = attributes(rs.resource?.attributes)['service.name'];
      const service = typeof name === 'string' ? name : '';
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes: attributes(span.attributes),
            start: BigInt(span.startTimeUnixNano),
          });
        }
      }
    }
  }
}
