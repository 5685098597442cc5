import { Module } from '@nestjs/common';
import { RecordsCoreModule } from '@lib/records';
import { DocsController } from './docs/docs.controller';
import { OpenApiController } from './openapi/openapi.controller';
import { OpenApiService } from './openapi/openapi.service';

/** `GET /api/openapi.json` (the OpenAPI document of the live collections) and its viewer at `/api/docs`. */
@Module({
  imports: [RecordsCoreModule],
  providers: [OpenApiService],
  controllers: [OpenApiController, DocsController],
  exports: [OpenApiService],
})
export class ApiDocsModule {}
