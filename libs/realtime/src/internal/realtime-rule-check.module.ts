import { InternalSecretGuard } from '@lib/core';
import { Module } from '@nestjs/common';
import { RecordsCoreModule } from '@lib/records';
import { LOCAL_DATA_PORTS } from '../local/local-realtime-ports';
import { RealtimeAccess } from '../realtime-access.service';
import { RealtimeInternalController } from './realtime-internal.controller';
import { RealtimeInternalService } from './realtime-internal.service';

/**
 * Mounted by the records service: `/api/_internal/{collections,auth-records,rule-check,render}` for realtime
 * processes that run without a database (`--records`), behind `NB_INTERNAL_SECRET`.
 */
@Module({
  imports: [RecordsCoreModule],
  controllers: [RealtimeInternalController],
  providers: [...LOCAL_DATA_PORTS, RealtimeAccess, RealtimeInternalService, InternalSecretGuard],
})
export class RealtimeRuleCheckModule {}
