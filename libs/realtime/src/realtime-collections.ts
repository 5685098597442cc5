import type { CollectionsRegistry } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

/**
 * The collections the realtime service sees: read from the shared database (`LocalRealtimeCollections`) or
 * loaded from the records service over HTTP when the realtime process has no database (`RemoteRealtimeCollections`).
 */
export abstract class RealtimeCollections {
  /** The in-memory copy the rule compiler resolves relations against. */
  abstract readonly registry: CollectionsRegistry;
  /** The collection of an event, brought up to date with other processes first. */
  abstract find(idOrName: string): Promise<CollectionModel | undefined>;
  /** Called on `collection.changed`: the registry reflects the change once this resolves. */
  abstract refresh(collectionId: string): Promise<void>;
}

/** An auth collection's `authToken.secret` ('' when there is none): a change invalidates every auth token. */
export function authSecretOf(c: CollectionModel | undefined): string {
  const options = c?.authToken as { secret?: unknown } | undefined;
  return typeof options?.secret === 'string' ? options.secret : '';
}
