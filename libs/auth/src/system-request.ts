import type { RecordRequest } from '@lib/records';

/** The request the auth flows write records with: a superuser, so rules and manage checks pass. */
export const SYSTEM_REQUEST: RecordRequest = {
  auth: { collectionId: '', collectionName: '_superusers', record: {}, isSuperuser: true },
  query: {},
  headers: {},
  method: 'POST',
  context: 'default',
};
