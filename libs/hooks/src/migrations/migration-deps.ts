import { Injectable } from '@nestjs/common';
import { Database } from '@lib/database';
import { EventBus } from '@lib/events';
import { CollectionsService, SettingsService } from '@lib/records';
import { HookDataService } from '../hook-data.service';

/** What running a migration touches: the database, collections, settings, the hooks' data helpers, the bus. */
@Injectable()
export class MigrationDeps {
  constructor(
    readonly database: Database,
    readonly collections: CollectionsService,
    readonly settings: SettingsService,
    readonly data: HookDataService,
    readonly bus: EventBus,
  ) {}
}
