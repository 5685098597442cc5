/** A record as events carry it: the collection and the record's stored values. */
export interface RecordPayload {
  collectionId: string;
  collectionName: string;
  record: Record<string, unknown>;
}

/** Every event that crosses module (and later process) boundaries, declared once. */
export interface EventMap {
  'record.created': RecordPayload;
  'record.updated': RecordPayload;
  'record.deleted': RecordPayload;
  'collection.changed': { collectionId: string };
  /** A realtime subscription POST forwarded to the instance that holds the client's connection. */
  'realtime.subscribe': RealtimeSubscribeRequest;
  /** The holding instance's answers to `realtime.subscribe`: 102 at once ("held here"), then the outcome
   * (HTTP status and error message). */
  'realtime.subscribed': { requestId: string; status: number; message: string };
  /** An OAuth2 redirect (popup flow) for a realtime client another process may hold (`state` = its id). */
  'oauth2.redirect': { requestId: string; state: string; code: string; error: string; ip: string };
  /** The instance holding the client delivered the `oauth2.redirect` of `requestId`. */
  'oauth2.delivered': { requestId: string };
  /** A process restored a backup into the shared data directory and runs on it (`origin`: that process). */
  'backup.restored': { origin: string };
}

export interface RealtimeSubscribeRequest {
  requestId: string;
  clientId: string;
  subscriptions: string[];
  /** The POST's `Authorization` header ('' for none); the holding instance resolves it. */
  authorization: string;
  ip: string;
}
