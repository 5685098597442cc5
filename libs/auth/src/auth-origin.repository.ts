/** One row of `_authOrigins`: a login fingerprint seen for a record. */
export interface AuthOrigin {
  id: string;
  fingerprint: string;
  updated: string;
}

/** The `_authOrigins` system table (login locations per auth record). */
export abstract class AuthOriginRepository {
  /** The record's origins, most recently used first. */
  abstract findByRecord(collectionId: string, recordId: string): Promise<AuthOrigin[]>;
  abstract insert(collectionId: string, recordId: string, fingerprint: string): Promise<void>;
  /** Marks an origin as used now. */
  abstract touch(id: string): Promise<void>;
  /** Deletes all but the `keep` most recently used origins of the record. */
  abstract prune(collectionId: string, recordId: string, keep: number): Promise<void>;
}
