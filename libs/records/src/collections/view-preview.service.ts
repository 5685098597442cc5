import { Injectable } from '@nestjs/common';
import { BadRequestError, randomString, ValidationFailed } from '@lib/core';
import { Database } from '@lib/database';
import { buildCollection, type FieldModel } from '@lib/schema';
import { CollectionsRegistry } from './collections.registry';
import { createStorage } from './table-sync';
import { viewFields } from './view-fields';

const FAIL = 'Failed to preview the view query.';
const PREVIEW_ROWS = 10;

/** What `POST /api/collections/meta/view-preview` answers: the fields a view would get and its first rows. */
export interface ViewPreview {
  fields: Pick<FieldModel, 'name' | 'type' | 'hidden'>[];
  rows: Record<string, unknown>[];
}

/** Thrown to roll the preview's transaction back once its answer is read. */
class PreviewDone extends Error {}

/**
 * Runs a view query as a view collection would (same checks, same field derivation, credentials refused) in a
 * schema transaction that is always rolled back: nothing is created, no event is published, no migration written.
 */
@Injectable()
export class ViewPreviewService {
  constructor(
    private readonly database: Database,
    private readonly registry: CollectionsRegistry,
  ) {}

  async preview(body: unknown): Promise<ViewPreview> {
    const viewQuery = (body as { viewQuery?: unknown } | null)?.viewQuery;
    if (typeof viewQuery !== 'string' || viewQuery.trim() === '') {
      throw new ValidationFailed({ viewQuery: { code: 'validation_required', message: 'Cannot be blank.' } }, FAIL);
    }
    const all = this.registry.allCollections();
    const name = `nb_view_preview_${randomString(10)}`;
    const collection = buildCollection({ type: 'view', name, viewQuery }, undefined, all);
    let answer: ViewPreview | null = null;
    try {
      await this.database.schemaTransaction(async (tx) => {
        await createStorage(tx, collection);
        const fields = await viewFields(tx, name, all, FAIL);
        const columns = fields.map((f) => `"${f.name.replace(/"/g, '""')}"`).join(', ');
        const rows = await tx.query(`SELECT ${columns} FROM "${name}" LIMIT ${PREVIEW_ROWS}`);
        answer = { fields: fields.map(({ name: n, type, hidden }) => ({ name: n, type, hidden })), rows };
        throw new PreviewDone();
      });
    } catch (error) {
      if (!(error instanceof PreviewDone)) {
        throw asViewQueryError(error);
      }
    }
    return answer!;
  }
}

function asViewQueryError(error: unknown): Error {
  if (error instanceof ValidationFailed || error instanceof BadRequestError) {
    return error;
  }
  const message = error instanceof Error ? error.message.replace(/^.*?: /, '') : 'unknown error';
  return new ValidationFailed(
    { viewQuery: { code: 'validation_invalid_view_query', message: `Invalid schema: ${message.slice(0, 200)}` } },
    FAIL,
  );
}
