import { JoinedRuleCheck } from '../joined-rule-check';
import { RealtimeAuthResolver } from '../realtime-auth.resolver';
import { RealtimeCollections } from '../realtime-collections';
import { RealtimeRenderer } from '../realtime-renderer';
import { RuleCheckRepository } from '../rule-check.repository';
import { SqlRuleCheckRepository } from '../typeorm/sql-rule-check.repository';
import { LocalRealtimeAuthResolver } from './local-realtime-auth.resolver';
import { LocalRealtimeCollections } from './local-realtime-collections';
import { LocalRealtimeRenderer } from './local-realtime.renderer';
import { SqlJoinedRuleCheck } from './sql-joined-rule-check';

/** Collections, rendering and joined rule checks on the shared database (needs the records lib's core module). */
export const LOCAL_DATA_PORTS = [
  { provide: RealtimeCollections, useClass: LocalRealtimeCollections },
  { provide: RealtimeRenderer, useClass: LocalRealtimeRenderer },
  { provide: RuleCheckRepository, useClass: SqlRuleCheckRepository },
  { provide: JoinedRuleCheck, useClass: SqlJoinedRuleCheck },
];

/** Every realtime port on the shared database; token checks need the auth lib's guard too. */
export const LOCAL_REALTIME_PORTS = [
  ...LOCAL_DATA_PORTS,
  { provide: RealtimeAuthResolver, useClass: LocalRealtimeAuthResolver },
];
