/** A row of `_otps`: a one-time password (bcrypt hash) mailed to `sentTo` for an auth record. */
export interface OtpRow {
  id: string;
  collectionRef: string;
  recordRef: string;
  password: string;
  sentTo: string;
  /** PocketBase date string (`2024-01-31 13:45:00.123Z`). */
  created: string;
}

export abstract class OtpRepository {
  abstract insert(row: Omit<OtpRow, 'id' | 'created'>): Promise<OtpRow>;
  abstract findById(id: string): Promise<OtpRow | null>;
  /** The record's OTPs, newest first. */
  abstract listByRecord(collectionRef: string, recordRef: string): Promise<OtpRow[]>;
  abstract delete(id: string): Promise<void>;
  /** Removes the record's OTPs created before `before` (expired ones). */
  abstract deleteOlder(collectionRef: string, recordRef: string, before: string): Promise<void>;
}
