import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EventMap } from '@lib/core';
import { Database, type TxExecutor } from '@lib/database';
import { EventBus } from '@lib/events';
import { PasswordHasher } from './record-request';
import { RecordFileWriter, type PreNote } from './record-files';
import { NO_RECORD_HOOKS, RecordHooks } from './record-hooks';
import { RelationWriter } from './relation-writer';

/** Work inside one transaction; events and `afterCommit` tasks run only after it commits. */
export interface UnitOfWork {
  tx: TxExecutor;
  events: { name: keyof EventMap; payload: EventMap[keyof EventMap] }[];
  /** Side effects that must wait for the commit (queueing file deletions). */
  afterCommit: (() => Promise<void>)[];
  /** Compensations for side effects done inside the transaction (stored uploads) if it rolls back. */
  onRollback: (() => Promise<void>)[];
  /** Upload journal notes written before the transaction, for `RecordFileWriter.save` to take. */
  notes?: PreNote[];
}

/**
 * The collaborators of RecordsService that are about writing: transactions, events, passwords, relations,
 * files, and the hooks around each write (the hooks lib's, when mounted; none otherwise).
 */
@Injectable()
export class RecordDeps {
  readonly hooks: RecordHooks;

  constructor(
    readonly database: Database,
    readonly bus: EventBus,
    readonly hasher: PasswordHasher,
    readonly relations: RelationWriter,
    readonly files: RecordFileWriter,
    @Optional() @Inject(RecordHooks) hooks: RecordHooks | null = null,
  ) {
    this.hooks = hooks ?? NO_RECORD_HOOKS;
  }
}
