import { Module } from '@nestjs/common';
import { FieldsResponseHook } from './records/fields-response';
import { Database } from '@lib/database';
import { postgresDialect, QueryCompiler, sqliteDialect } from '@lib/query';
import { BatchController } from './batch/batch.controller';
import { BatchService } from './batch/batch.service';
import { CollectionRepository } from './collections/collection.repository';
import { CollectionsController } from './collections/collections.controller';
import { CollectionsQuery } from './collections/collections-query';
import { CollectionsRegistry } from './collections/collections.registry';
import { CollectionsService } from './collections/collections.service';
import { CollectionsApiService } from './collections/collections-api.service';
import { StoreSync } from './collections/store-sync';
import { ViewPreviewService } from './collections/view-preview.service';
import { RecordPresenter } from './records/record-presenter';
import { RecordRepository } from './records/record.repository';
import { RecordsController } from './records/records.controller';
import { RecordsService } from './records/records.service';
import { RecordDeps } from './records/record-deps';
import { RelationWriter } from './records/relation-writer';
import { RecordFileWriter } from './records/record-files';
import { RecordBodyLimits } from './records/record-body-limits';
import { RuleGuard } from './records/rule-guard';
import { IndexAdvisor } from './records/index-advisor';
import { SettingsController } from './settings/settings.controller';
import { SettingsService } from './settings/settings.service';
import { SettingsApiService } from './settings/settings-api.service';
import { TypeormCollectionRepository } from './typeorm/typeorm-collection.repository';
import { TypeormRecordRepository } from './typeorm/typeorm-record.repository';

const services = [
  {
    provide: QueryCompiler,
    inject: [Database],
    useFactory: (db: Database) => new QueryCompiler(db.engine === 'postgres' ? postgresDialect : sqliteDialect),
  },
  { provide: CollectionRepository, useClass: TypeormCollectionRepository },
  { provide: RecordRepository, useClass: TypeormRecordRepository },
  CollectionsRegistry,
  CollectionsService,
  CollectionsApiService,
  CollectionsQuery,
  ViewPreviewService,
  RecordPresenter,
  RecordsService,
  RecordDeps,
  RelationWriter,
  RecordFileWriter,
  RecordBodyLimits,
  RuleGuard,
  IndexAdvisor,
  SettingsService,
  SettingsApiService,
  BatchService,
  StoreSync,
];

/** Collections, records, batch and settings: the data services every app builds on. */
@Module({
  providers: [...services, FieldsResponseHook],
  exports: services,
})
export class RecordsCoreModule {}

/** The HTTP API of the records service: collections, records CRUD, batch, settings. */
@Module({
  imports: [RecordsCoreModule],
  controllers: [CollectionsController, RecordsController, BatchController, SettingsController],
})
export class RecordsApiModule {}
