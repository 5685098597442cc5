import { Logger } from '@nestjs/common';
import { CollectionChanges } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { collectionChanges } from './migration-templates';
import type { MigrationsService } from './migrations.service';

/**
 * `--automigrate`: each collection change made through the API (or the dashboard) is written to `pb_migrations`
 * as a migration — created, updated or deleted, up doing it and down undoing it — recorded as applied, since
 * it describes what the database already is. A file that can't be written is logged; the change stays.
 */
export class Automigrate extends CollectionChanges {
  private readonly log = new Logger('automigrate');

  constructor(private readonly migrations: MigrationsService) {
    super();
  }

  override async committed(before: readonly CollectionModel[], after: readonly CollectionModel[]): Promise<void> {
    for (const change of collectionChanges(before, after)) {
      try {
        const file = await this.migrations.write(change.suffix, change.code, true);
        this.log.log(`wrote ${file}`);
      } catch (error) {
        this.log.error(`automigrate: the migration ${change.suffix} was not written: ${String(error)}`);
      }
    }
  }
}
