import { Module } from '@nestjs/common';
import { RecordsCoreModule } from '@lib/records';
import { PocketBaseSchemaImport } from './pocketbase-schema-import';

/** The schema half of `nestbase import-pocketbase` (the CLI mounts it on the staging data dir). */
@Module({
  imports: [RecordsCoreModule],
  providers: [PocketBaseSchemaImport],
  exports: [PocketBaseSchemaImport],
})
export class PocketBaseImportModule {}
