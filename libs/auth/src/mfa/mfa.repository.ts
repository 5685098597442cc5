/** A row of `_mfas`: the first factor an auth record passed, waiting for a second one. */
export interface MfaRow {
  id: string;
  collectionRef: string;
  recordRef: string;
  method: string;
  /** PocketBase date string (`2024-01-31 13:45:00.123Z`). */
  created: string;
}

export abstract class MfaRepository {
  abstract insert(collectionRef: string, recordRef: string, method: string): Promise<MfaRow>;
  abstract findById(id: string): Promise<MfaRow | null>;
  abstract delete(id: string): Promise<void>;
  /** Removes the record's sessions created before `before` (expired ones). */
  abstract deleteOlder(collectionRef: string, recordRef: string, before: string): Promise<void>;
}
