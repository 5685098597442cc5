import type { AccessExpression } from '../joined-rule-check';

/** A subscriber's request as the realtime process sends it: its auth record snapshot and subscription options. */
export interface WireRequest {
  auth: { collectionId: string; record: Record<string, unknown> } | null;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** `POST /api/_internal/rule-check`: one record snapshot, one expression, many requesters → `{ allowed }`. */
export interface RuleCheckBody {
  collectionId: string;
  expression: AccessExpression;
  record: Record<string, unknown>;
  requests: WireRequest[];
}

/** `POST /api/_internal/render`: the record JSON for one requester with `expand` → `{ record }`. */
export interface RenderBody {
  collectionId: string;
  record: Record<string, unknown>;
  expand: string;
  request: WireRequest;
}

/** `POST /api/_internal/auth-records`: auth records (with `tokenKey`, without the password hash) → `{ records }`. */
export interface AuthRecordsBody {
  refs: { collectionId: string; id: string }[];
}
