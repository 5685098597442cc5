import { Injectable } from '@nestjs/common';
import { BadRequestError, NotFoundError, type FieldErrors, ValidationFailed, fieldError } from '@lib/core';
import type { SqlExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';
import { CollectionsRegistry } from '../collections/collections.registry';
import { applyAuthInput } from './auth-fields';
import { assertAuthIdFree } from './auth-id-check';
import { fromRow, toColumns, type RecordData } from './record-codec';
import { uniqueViolation } from './record-errors';
import { applyInput, type InputResult } from './record-input';
import { RecordPresenter } from './record-presenter';
import { RecordRepository, type SqlPart } from './record.repository';
import { isSuperuser, type RecordRequest } from './record-request';
import { RecordDeps, type UnitOfWork } from './record-deps';
import type { PreNote } from './record-files';
import { RuleGuard } from './rule-guard';
import { DirectCreate, newRecordInput } from './direct-create';
import { WriteNotes, type PreparedCreate } from './write-notes';

export type { UnitOfWork } from './record-deps';

export interface ListParams {
  page: number;
  perPage: number;
  sort: string;
  filter: string;
  expand: string;
  skipTotal: boolean;
}

@Injectable()
export class RecordsService {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly repository: RecordRepository,
    private readonly rules: RuleGuard,
    private readonly presenter: RecordPresenter,
    private readonly deps: RecordDeps,
  ) {
    this.direct = new DirectCreate(registry, repository, rules, deps);
    this.notes = new WriteNotes(repository, rules, deps.files);
  }

  /** Creates that need no transaction (PostgreSQL): see DirectCreate. */
  private readonly direct: DirectCreate;
  /** Upload journal notes written before a write's transaction (batch writes take theirs here too). */
  readonly notes: WriteNotes;

  collection(idOrName: string): CollectionModel {
    const c = this.registry.findCollection(idOrName);
    if (!c) {
      throw new NotFoundError('Missing collection context.');
    }
    return c;
  }

  async list(idOrName: string, p: ListParams, req: RecordRequest) {
    const c = this.collection(idOrName);
    const where = this.rules.condition(c, 'listRule', req);
    if (p.filter) {
      where.push(this.rules.compile(c, p.filter, 'filter', req));
    }
    const orderBy = this.rules.sort(c, p.sort, req);
    // Off the event loop (read workers) and under the query time limit: the filter and sort are the client's.
    const db = this.deps.database.reads;
    // What the index advisor names if the query is slow.
    const asked = { rule: isSuperuser(req) ? '' : (c.listRule ?? ''), filter: p.filter, sort: p.sort };
    const [rows, totalItems] = await Promise.all([
      this.repository.list(c, { where, orderBy, limit: p.perPage, offset: (p.page - 1) * p.perPage, asked }, db),
      p.skipTotal ? -1 : this.repository.count(c, where, db, asked),
    ]);
    const items = await this.presenter.presentRows(c, rows, req, p.expand, db);
    const totalPages = p.skipTotal ? -1 : Math.ceil(totalItems / p.perPage);
    return { page: p.page, perPage: p.perPage, totalItems, totalPages, items };
  }

  async view(idOrName: string, id: string, expand: string, req: RecordRequest) {
    const c = this.collection(idOrName);
    const where = this.rules.condition(c, 'viewRule', req);
    // A by-id read of a table stays on the main thread (cheap; its rule joins carry the interrupt check); a view
    // collection runs its whole SELECT, which is the worker's job.
    const row = await this.repository.findById(c, id, where, c.type === 'view' ? this.deps.database.reads : undefined);
    if (!row) {
      throw new NotFoundError();
    }
    return (await this.presenter.presentRows(c, [row], req, expand))[0];
  }

  async create(idOrName: string, body: Record<string, unknown>, expand: string, req: RecordRequest) {
    const c = this.writable(idOrName);
    const saved = await this.direct.create(c, body, req);
    if (saved === undefined) {
      const prepared = this.notes.prepareCreate(c, body, req);
      // The upload journal's note goes before the transaction: a slow storage must not hold the write lock.
      const note = await this.notes.create(c, prepared);
      return this.inTransaction(
        (uow) => this.createIn(uow, idOrName, body, expand, req, prepared),
        note ? [note] : undefined,
      );
    }
    this.deps.bus.publish('record.created', { collectionId: c.id, collectionName: c.name, record: saved });
    return (await this.presenter.present(c, [saved], req, expand))[0];
  }

  async update(idOrName: string, id: string, body: Record<string, unknown>, expand: string, req: RecordRequest) {
    const c = this.writable(idOrName);
    // The upload journal's note goes before the transaction, as a create's (a locked rule: the 403 before it).
    const note = await this.notes.update(c, id, body, req);
    return this.inTransaction((uow) => this.updateIn(uow, idOrName, id, body, expand, req), note ? [note] : undefined);
  }

  delete(idOrName: string, id: string, req: RecordRequest) {
    return this.inTransaction((uow) => this.deleteIn(uow, idOrName, id, req));
  }

  /** Runs record operations in one transaction; events and file clean-up follow the commit. */
  async inTransaction<T>(fn: (uow: UnitOfWork) => Promise<T>, notes?: PreNote[]): Promise<T> {
    const work: Omit<UnitOfWork, 'tx'> = { events: [], afterCommit: [], onRollback: [], notes };
    let result: T;
    try {
      result = await this.deps.database.transaction((tx) => fn({ tx, ...work }));
    } catch (error) {
      await Promise.allSettled(work.onRollback.map((undo) => undo()));
      throw error;
    } finally {
      if (notes) {
        this.deps.files.release(notes);
      }
    }
    for (const e of work.events) {
      this.deps.bus.publish(e.name, e.payload);
    }
    await Promise.allSettled(work.afterCommit.map((task) => task()));
    return result;
  }

  /** `prepared`: the create rule and input worked out before the transaction (the same as these lines would). */
  async createIn(
    uow: UnitOfWork,
    idOrName: string,
    body: Record<string, unknown>,
    expand: string,
    req: RecordRequest,
    prepared?: PreparedCreate,
  ) {
    const c = this.writable(idOrName);
    const rule = prepared?.rule ?? this.rules.condition(c, 'createRule', req);
    const input = prepared?.input ?? newRecordInput(c, body, req);
    const event = { action: 'create' as const, collection: c, ...input, original: null, request: req, uow };
    const saved = await this.deps.hooks.write(event, () => this.insertChecked(uow, c, input, body, rule, req));
    uow.events.push({ name: 'record.created', payload: { collectionId: c.id, collectionName: c.name, record: saved } });
    return (await this.presenter.present(c, [saved], req, expand, uow.tx))[0];
  }

  /** Validates and inserts a new record (after the create hooks' first half); returns it as stored. */
  private async insertChecked(
    uow: UnitOfWork,
    c: CollectionModel,
    input: InputResult,
    body: Record<string, unknown>,
    rule: SqlPart[],
    req: RecordRequest,
  ): Promise<RecordData> {
    const errors: FieldErrors = input.errors;
    if (c.type === 'auth') {
      await applyAuthInput(
        c,
        input.data,
        body,
        { isNew: true, canManage: isSuperuser(req), anonymous: req.context === 'anonymous' },
        this.deps.hasher,
        errors,
      );
    }
    await this.deps.relations.checkExisting(c, input.data, input.changed, errors, uow.tx);
    this.throwIfErrors(errors, 'Failed to create record.');
    // A taken custom id is answered by the primary key (UNIQUE constraint failed: <table>.id), not a read first.
    const row = await this.write(uow.tx, c, input.data, undefined, 'Failed to create record.');
    const saved = fromRow(c, row);
    const id = String(saved.id);
    if (rule.length > 0) {
      // The rule on the row as stored: in memory when it needs no join, else its SQL against the new row.
      const allowed =
        this.rules.evaluate(c, 'createRule', req, saved, input.body) ??
        (await this.repository.findById(c, id, this.rules.condition(c, 'createRule', req, input.body), uow.tx)) !==
          null;
      if (!allowed) {
        throw new BadRequestError('Failed to create record.');
      }
    }
    await this.deps.files.save(uow, c, id, null, input.data, input.uploads);
    return saved;
  }

  async updateIn(
    uow: UnitOfWork,
    idOrName: string,
    id: string,
    body: Record<string, unknown>,
    expand: string,
    req: RecordRequest,
  ) {
    const c = this.writable(idOrName);
    const rule = this.rules.condition(c, 'updateRule', req);
    const row = await this.repository.findById(c, id, [], uow.tx);
    if (!row) {
      throw new NotFoundError();
    }
    const stored = fromRow(c, row);
    const input = applyInput(c, stored, body, false, isSuperuser(req));
    const event = { action: 'update' as const, collection: c, ...input, original: stored, request: req, uow };
    const saved = await this.deps.hooks.write(event, () =>
      this.updateChecked(uow, c, stored, input, { body, rule }, req),
    );
    uow.events.push({ name: 'record.updated', payload: { collectionId: c.id, collectionName: c.name, record: saved } });
    return (await this.presenter.present(c, [saved], req, expand, uow.tx))[0];
  }

  /** Validates and writes an update (after the update hooks' first half); returns the record as stored. */
  private async updateChecked(
    uow: UnitOfWork,
    c: CollectionModel,
    stored: RecordData,
    input: InputResult,
    { body, rule }: { body: Record<string, unknown>; rule: SqlPart[] },
    req: RecordRequest,
  ): Promise<RecordData> {
    const id = String(stored.id);
    const errors: FieldErrors = input.errors;
    if (input.changed.has('id') && input.data.id !== id) {
      errors.id = fieldError('validation_pk_change', 'The record primary key cannot be changed.');
    }
    if (rule.length > 0) {
      const ruleWithBody = this.rules.condition(c, 'updateRule', req, input.body);
      if (!(await this.repository.findById(c, id, ruleWithBody, uow.tx))) {
        throw new NotFoundError();
      }
    }
    if (c.type === 'auth') {
      await applyAuthInput(
        c,
        input.data,
        body,
        { isNew: false, canManage: isSuperuser(req), stored },
        this.deps.hasher,
        errors,
      );
    }
    await this.deps.relations.checkExisting(c, input.data, input.changed, errors, uow.tx);
    this.throwIfErrors(errors, 'Failed to update record.');
    const row = await this.write(uow.tx, c, input.data, id, 'Failed to update record.');
    await this.deps.files.save(uow, c, id, stored, input.data, input.uploads);
    return fromRow(c, row);
  }

  async deleteIn(uow: UnitOfWork, idOrName: string, id: string, req: RecordRequest): Promise<void> {
    const c = this.writable(idOrName);
    const rule = this.rules.condition(c, 'deleteRule', req);
    const row = await this.repository.findById(c, id, rule, uow.tx);
    if (!row) {
      throw new NotFoundError();
    }
    if (c.name === '_superusers' && (await this.repository.count(c, [], uow.tx)) <= 1) {
      throw new BadRequestError("You can't delete the only existing superuser.");
    }
    const stored = fromRow(c, row);
    const event = { action: 'delete' as const, collection: c, data: stored, changed: new Set<string>(), errors: {} };
    await this.deps.hooks.write({ ...event, original: stored, request: req, uow }, async () => {
      await this.deps.relations.deleteWithReferences(uow, c, stored);
      return stored;
    });
  }

  /** Deletes every record of a collection with cascades (`DELETE /api/collections/{c}/truncate`). */
  async truncate(idOrName: string): Promise<void> {
    const c = this.registry.findCollection(idOrName);
    if (!c) {
      throw new NotFoundError();
    }
    if (c.type === 'view') {
      throw new BadRequestError('View collections cannot be truncated.');
    }
    await this.inTransaction(async (uow) => {
      for (;;) {
        const rows = await this.repository.list(c, { where: [], orderBy: null, limit: 500, offset: 0 }, uow.tx);
        if (rows.length === 0) {
          return;
        }
        for (const row of rows) {
          await this.deps.relations.deleteWithReferences(uow, c, fromRow(c, row));
        }
      }
    });
  }

  /** Whether a record exists (no rule check), for batch upserts. */
  async exists(idOrName: string, id: string, uow: UnitOfWork): Promise<boolean> {
    return (await this.repository.findById(this.collection(idOrName), id, [], uow.tx)) !== null;
  }

  private writable(idOrName: string): CollectionModel {
    const c = this.collection(idOrName);
    if (c.type === 'view') {
      throw new BadRequestError('Unsupported collection type.');
    }
    return c;
  }

  private throwIfErrors(errors: FieldErrors, message: string): void {
    if (Object.keys(errors).length > 0) {
      throw new ValidationFailed(errors, message);
    }
  }

  private async write(
    tx: SqlExecutor,
    c: CollectionModel,
    data: RecordData,
    id: string | undefined,
    message: string,
  ): Promise<Record<string, unknown>> {
    await assertAuthIdFree(this.repository, this.registry.allCollections(), c, String(data.id), tx, message);
    const { names, values } = toColumns(c, data);
    let row: Record<string, unknown> | null;
    try {
      row =
        id === undefined
          ? await this.repository.insert(c, names, values, tx)
          : await this.repository.update(c, id, names, values, tx);
    } catch (error) {
      throw uniqueViolation(error, message) ?? error;
    }
    if (!row) {
      throw new NotFoundError();
    }
    return row;
  }
}
