// In-memory ports of the realtime lib for unit specs: the collections it sees, the record JSON it sends, the
// joined-rule check (refused: rules that need SQL belong to the API tier) and a transport that keeps frames.
import type { CompiledExpression } from '@lib/query';
import { CollectionsRegistry, type RecordRequest } from '@lib/records';
import {
  JoinedRuleCheck,
  RealtimeCollections,
  RealtimeRenderer,
  type AccessExpression,
  type ClientTransport,
} from '@lib/realtime';
import type { CollectionModel } from '@lib/schema';

export class InMemoryRealtimeCollections extends RealtimeCollections {
  readonly registry = new CollectionsRegistry();

  constructor(collections: CollectionModel[]) {
    super();
    this.registry.replaceAll(collections);
  }

  override find(idOrName: string): Promise<CollectionModel | undefined> {
    return Promise.resolve(this.registry.findCollection(idOrName));
  }

  override refresh(): Promise<void> {
    return Promise.resolve();
  }
}

/** The record as stored, with its collection: enough to tell who got which record. */
export class PlainRealtimeRenderer extends RealtimeRenderer {
  override present(c: CollectionModel, record: Record<string, unknown>): Promise<Record<string, unknown>> {
    return Promise.resolve({ collectionId: c.id, collectionName: c.name, ...record });
  }
}

export class NoJoinedRuleCheck extends JoinedRuleCheck {
  override check(
    _c: CollectionModel,
    _e: AccessExpression,
    _compiled: CompiledExpression,
    _record: Record<string, unknown>,
    _requests: RecordRequest[],
  ): Promise<boolean[]> {
    return Promise.reject(new Error('a unit spec needed a joined rule check: test joined rules in the API tier'));
  }
}

/** Keeps what a client was sent: `{event, data}` per frame (data parsed back from its serialized form). */
export class RecordingTransport implements ClientTransport {
  readonly frames: { event: string; data: unknown }[] = [];
  closed = false;

  send(event: string, data: unknown): boolean {
    this.frames.push({ event, data });
    return true;
  }

  sendSerialized(event: string, message: Buffer | string): boolean {
    this.frames.push({ event, data: JSON.parse(message.toString()) as unknown });
    return true;
  }

  close(): void {
    this.closed = true;
  }

  /** The ids of the records sent. */
  recordIds(): unknown[] {
    return this.frames.map((f) => (f.data as { record?: { id?: unknown } }).record?.id);
  }
}
