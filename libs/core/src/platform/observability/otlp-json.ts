import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * The OTLP/HTTP JSON body of a batch of spans, written straight into one string: the same JSON as the OTLP
 * exporter's own serializer (`JsonTraceSerializer` of @opentelemetry/otlp-transformer: hex ids, nanosecond times
 * as decimal strings, `kind` + 1, flags with the has-is-remote bit) without its intermediate objects per span,
 * attribute and value, nor a BigInt per timestamp. It runs on the event loop for every span exported, so its
 * cost is per request (see the README's tracing figures).
 */

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];
type Value = unknown;

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
/**
 * Long strings come back span after span (an SQL statement's text): each is escaped once. Shorter ones (ids,
 * paths) are mostly new each time, not worth keeping.
 */
const quotedLong = new Map<string, string>();
const LONG = 64;
const KEEP = 2000;

function str(value: string): string {
  if (value.length < LONG) {
    return JSON.stringify(value);
  }
  let quoted = quotedLong.get(value);
  if (quoted === undefined) {
    if (quotedLong.size >= KEEP) {
      quotedLong.clear();
    }
    quoted = JSON.stringify(value);
    quotedLong.set(value, quoted);
  }
  return quoted;
}
/** The resource part of a body per resource object (a process has one, its attributes settled at start). */
const resources = new WeakMap<Resource, string>();

export function otlpJsonBody(spans: readonly ReadableSpan[]): string {
  const byResource = new Map<Resource, Map<string, { scope: Scope; spans: ReadableSpan[] }>>();
  for (const span of spans) {
    let scopes = byResource.get(span.resource);
    if (!scopes) {
      scopes = new Map();
      byResource.set(span.resource, scopes);
    }
    const scope = span.instrumentationScope;
    const key = `${scope.name}@${scope.version ?? ''}:${scope.schemaUrl ?? ''}`;
    const group = scopes.get(key);
    if (group) {
      group.spans.push(span);
    } else {
      scopes.set(key, { scope, spans: [span] });
    }
  }
  const parts: string[] = [];
  for (const [resource, scopes] of byResource) {
    const scopeParts: string[] = [];
    for (const { scope, spans: group } of scopes.values()) {
      scopeParts.push(
        `{"scope":${scopeJson(scope)},"spans":[${group.map(spanJson).join(',')}]${url(scope.schemaUrl)}}`,
      );
    }
    parts.push(
      `{"resource":${resourceJson(resource)},"scopeSpans":[${scopeParts.join(',')}]${url(resource.schemaUrl)}}`,
    );
  }
  return `{"resourceSpans":[${parts.join(',')}]}`;
}

function url(schemaUrl: string | undefined): string {
  return schemaUrl ? `,"schemaUrl":${str(schemaUrl)}` : '';
}

function resourceJson(resource: Resource): string {
  let json = resources.get(resource);
  if (json === undefined) {
    json = `{"attributes":${attributesJson(resource.attributes)},"droppedAttributesCount":0${url(resource.schemaUrl)}}`;
    // attributes still being detected aren't final: cache only settled ones
    if (!resource.asyncAttributesPending) {
      resources.set(resource, json);
    }
  }
  return json;
}

function scopeJson(scope: Scope): string {
  const version = scope.version === undefined ? '' : `,"version":${str(scope.version)}`;
  return `{"name":${str(scope.name)}${version}}`;
}

function spanJson(span: ReadableSpan): string {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  const traceState = context.traceState?.serialize();
  const flags = (context.traceFlags & 0xff) | HAS_IS_REMOTE | (parent?.isRemote ? IS_REMOTE : 0);
  const status = span.status;
  return (
    // ids are hex (the SDK's own, or checked by the W3C parser): nothing to escape
    `{"traceId":"${context.traceId}","spanId":"${context.spanId}"` +
    (parent?.spanId ? `,"parentSpanId":"${parent.spanId}"` : '') +
    (traceState === undefined ? '' : `,"traceState":${str(traceState)}`) +
    `,"name":${str(span.name)},"kind":${span.kind + 1}` +
    `,"startTimeUnixNano":"${nanos(span.startTime)}","endTimeUnixNano":"${nanos(span.endTime)}"` +
    `,"attributes":${attributesJson(span.attributes)},"droppedAttributesCount":${span.droppedAttributesCount}` +
    `,"events":[${span.events.map(eventJson).join(',')}],"droppedEventsCount":${span.droppedEventsCount}` +
    `,"status":{"code":${status.code}${status.message === undefined ? '' : `,"message":${str(status.message)}`}}` +
    `,"links":[${span.links.map(linkJson).join(',')}],"droppedLinksCount":${span.droppedLinksCount}` +
    `,"flags":${flags}}`
  );
}

function eventJson(event: ReadableSpan['events'][number]): string {
  return (
    `{"attributes":${attributesJson(event.attributes ?? {})},"name":${str(event.name)}` +
    `,"timeUnixNano":"${nanos(event.time)}","droppedAttributesCount":${event.droppedAttributesCount ?? 0}}`
  );
}

function linkJson(link: ReadableSpan['links'][number]): string {
  const context = link.context;
  const traceState = context.traceState?.serialize();
  const flags = (context.traceFlags & 0xff) | HAS_IS_REMOTE | (context.isRemote ? IS_REMOTE : 0);
  return (
    `{"attributes":${attributesJson(link.attributes ?? {})},"spanId":${str(context.spanId)}` +
    `,"traceId":${str(context.traceId)}${traceState === undefined ? '' : `,"traceState":${str(traceState)}`}` +
    `,"droppedAttributesCount":${link.droppedAttributesCount ?? 0},"flags":${flags}}`
  );
}

/** An `[seconds, nanoseconds]` time as decimal nanoseconds (beyond 2^53: written, not computed). */
function nanos([seconds, fraction]: readonly [number, number]): string {
  const s = Math.trunc(seconds);
  const ns = String(Math.trunc(fraction));
  return s === 0 ? ns : `${s}${ns.padStart(9, '0')}`;
}

function attributesJson(attributes: Record<string, Value>): string {
  let out = '';
  for (const key of Object.keys(attributes)) {
    out += `${out === '' ? '' : ','}{"key":${str(key)},"value":${valueJson(attributes[key])}}`;
  }
  return `[${out}]`;
}

function valueJson(value: Value): string {
  switch (typeof value) {
    case 'string':
      return `{"stringValue":${str(value)}}`;
    case 'number':
      return Number.isInteger(value) ? `{"intValue":${value}}` : `{"doubleValue":${JSON.stringify(value)}}`;
    case 'boolean':
      return `{"boolValue":${value}}`;
    default:
      break;
  }
  if (value instanceof Uint8Array) {
    return `{"bytesValue":${str(Buffer.from(value).toString('base64'))}}`;
  }
  if (Array.isArray(value)) {
    return `{"arrayValue":{"values":[${value.map(valueJson).join(',')}]}}`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, v]) => `{"key":${str(key)},"value":${valueJson(v)}}`);
    return `{"kvlistValue":{"values":[${entries.join(',')}]}}`;
  }
  return '{}';
}
