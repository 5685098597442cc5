/**
 * Who sent a request, resolved once per request by the auth lib's guard from the `Authorization`
 * header and attached to the request. Null for guests.
 */
export interface RequestAuth {
  collectionId: string;
  collectionName: string;
  /** The auth record with every field (hidden ones too) as stored values. */
  record: Record<string, unknown>;
  isSuperuser: boolean;
  /** The presented token and its `refreshable` claim (false for impersonation tokens). */
  token?: string;
  refreshable?: boolean;
}

export const REQUEST_AUTH = Symbol('nestbase.requestAuth');

export type AuthCarrier = { [REQUEST_AUTH]?: RequestAuth | null };

export function getRequestAuth(request: unknown): RequestAuth | null {
  return (request as AuthCarrier)[REQUEST_AUTH] ?? null;
}

export function setRequestAuth(request: unknown, auth: RequestAuth | null): void {
  (request as AuthCarrier)[REQUEST_AUTH] = auth;
}

/** True once the request's auth was resolved (guest included), so a second resolution can be skipped. */
export function hasRequestAuth(request: unknown): boolean {
  return REQUEST_AUTH in (request as object);
}
