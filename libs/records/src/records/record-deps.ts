import { Injectable } from '@nestjs/common';
import type { EventMap } from '@lib/core';
import { Database, type TxExecutor } from '@lib/database';
import { EventBus } from '@lib/events';
import { PasswordHasher } from './record-request';
import { RelationWriter } from './relation-writer';

/** Work inside one transaction; events go out only after it commits. */
export interface UnitOfWork {
  tx: TxExecutor;
  events: { name: keyof EventMap; payload: EventMap[keyof EventMap] }[];
}

/** The collaborators of RecordsService that are about writing: transactions, events, passwords, relations. */
@Injectable()
export class RecordDeps {
  constructor(
    readonly database: Database,
    readonly bus: EventBus,
    readonly hasher: PasswordHasher,
    readonly relations: RelationWriter,
  ) {}
}
