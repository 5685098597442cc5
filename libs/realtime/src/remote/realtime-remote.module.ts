import { RecordsServiceClient } from '@lib/core';
import { Module } from '@nestjs/common';
import { TokenService } from '@lib/auth';
import { QueryCompiler } from '@lib/query';
import { JoinedRuleCheck } from '../joined-rule-check';
import { RealtimeAuthResolver } from '../realtime-auth.resolver';
import { RealtimeCollections } from '../realtime-collections';
import { REALTIME_CONTROLLERS, REALTIME_EXPORTS, REALTIME_PROVIDERS } from '../realtime-parts';
import { RealtimeRenderer } from '../realtime-renderer';
import { RemoteJoinedRuleCheck } from './remote-joined-rule-check';
import { RemoteRealtimeAuthResolver } from './remote-realtime-auth.resolver';
import { RemoteRealtimeCollections } from './remote-realtime-collections';
import { RemoteRealtimeRenderer } from './remote-realtime.renderer';

/**
 * Realtime delivery in a process without a database (`--records <url>`): the same SSE and WebSocket endpoints,
 * with collections, auth records, joined rule checks and `expand` from the records service's internal
 * endpoints (`RealtimeRuleCheckModule`), one batched call per event. Rules without a join stay in memory.
 */
@Module({
  controllers: REALTIME_CONTROLLERS,
  providers: [
    ...REALTIME_PROVIDERS,
    RecordsServiceClient,
    TokenService,
    { provide: QueryCompiler, useValue: new QueryCompiler() },
    { provide: RealtimeCollections, useClass: RemoteRealtimeCollections },
    { provide: RealtimeAuthResolver, useClass: RemoteRealtimeAuthResolver },
    { provide: RealtimeRenderer, useClass: RemoteRealtimeRenderer },
    { provide: JoinedRuleCheck, useClass: RemoteJoinedRuleCheck },
  ],
  exports: REALTIME_EXPORTS,
})
export class RealtimeRemoteModule {}
