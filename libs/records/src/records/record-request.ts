import type { RequestAuth } from '@lib/core';
import type { RequestInfo } from '@lib/query';

/** The transport-free view of a request that record operations need. */
export interface RecordRequest {
  auth: RequestAuth | null;
  query: Record<string, string>;
  headers: Record<string, string>;
  method: string;
  /** `@request.context`: default, batch, expand, … */
  context: string;
}

export function isSuperuser(req: RecordRequest): boolean {
  return req.auth?.isSuperuser === true;
}

/** `@request.auth` of each authenticated request, built once however many rules it meets. */
const authValues = new WeakMap<RequestAuth, Record<string, unknown>>();

function authOf(auth: RequestAuth | null): Record<string, unknown> | null {
  if (!auth) {
    return null;
  }
  let values = authValues.get(auth);
  if (!values) {
    values = { ...auth.record, collectionId: auth.collectionId, collectionName: auth.collectionName };
    authValues.set(auth, values);
  }
  return values;
}

/** The `@request` values of a rule evaluation. */
export function requestInfo(req: RecordRequest, body: Record<string, unknown> = {}): RequestInfo {
  return {
    auth: authOf(req.auth),
    body,
    query: req.query,
    headers: req.headers,
    method: req.method,
    context: req.context,
  };
}

/** Hashes and checks passwords of auth records; provided by the auth lib. */
export abstract class PasswordHasher {
  abstract hash(plain: string, cost?: number): Promise<string>;
  abstract verify(plain: string, hash: string): Promise<boolean>;
}
