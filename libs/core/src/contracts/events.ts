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
}
