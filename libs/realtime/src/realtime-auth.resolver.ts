import type { RequestAuth } from '@lib/core';

/**
 * Turns a realtime request's token (`Authorization` or the WebSocket's `?token=`) into its auth, or null for a
 * guest: through the auth lib's guard on the shared database, or with the auth record fetched from the records
 * service when the realtime process has no database.
 */
export abstract class RealtimeAuthResolver {
  abstract resolve(header: string | undefined): Promise<RequestAuth | null>;
}
