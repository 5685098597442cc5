import type { ChainHandler } from '../hook-chain';
import type { HooksApp } from '../hooks-app';
import type { RecordEvent } from '../hook-types';

type Fn = (e?: unknown) => unknown;
type Tags = (string | string[])[];

/** The table of collections, as PocketBase's model hooks name it in their tags. */
const COLLECTIONS_TABLE = '_collections';

/**
 * `onModelCreate` … for the models nestbase hooks see being written: records (`e.model` is the record) and
 * collections (`e.model` is the collection: the `onCollection…` hook point of the same name, when the tags are none or
 * name `_collections`). Settings are not a model here (`onSettingsUpdateRequest` sees their changes).
 */
export function modelHooks(
  app: HooksApp,
  rec: (fn: Fn) => ChainHandler<RecordEvent>,
  onError: (fn: Fn) => ChainHandler<RecordEvent>,
  onCollection: (name: string, fn: Fn) => unknown,
): Record<string, (fn: Fn, ...tags: Tags) => unknown> {
  const alsoCollections = (hook: string, fn: Fn, tags: Tags) => {
    const names = tags.flat();
    if (names.length === 0 || names.includes(COLLECTIONS_TABLE)) {
      onCollection(hook.replace('onModel', 'onCollection'), fn);
    }
  };
  const model = (fn: Fn) => rec((e) => fn(Object.assign(e as object, { model: (e as { record: unknown }).record })));
  const out: Record<string, (fn: Fn, ...tags: Tags) => unknown> = {};
  for (const [action, name] of [
    ['create', 'Create'],
    ['update', 'Update'],
    ['delete', 'Delete'],
  ] as const) {
    const write = (fn: Fn, tags: Tags) =>
      action === 'create'
        ? app.onRecordCreate(model(fn), ...tags)
        : action === 'update'
          ? app.onRecordUpdate(model(fn), ...tags)
          : app.onRecordDelete(model(fn), ...tags);
    out[`onModel${name}`] = (fn, ...tags) => {
      alsoCollections(`onModel${name}`, fn, tags);
      write(fn, tags);
    };
    out[`onModel${name}Execute`] = (fn, ...tags) => {
      alsoCollections(`onModel${name}Execute`, fn, tags);
      write(fn, tags);
    };
    out[`onModelAfter${name}Error`] = (fn, ...tags) => {
      alsoCollections(`onModelAfter${name}Error`, fn, tags);
      const handler = onError((e) => fn(Object.assign(e as object, { model: (e as { record: unknown }).record })));
      return action === 'create'
        ? app.onRecordAfterCreateError(handler, ...tags)
        : action === 'update'
          ? app.onRecordAfterUpdateError(handler, ...tags)
          : app.onRecordAfterDeleteError(handler, ...tags);
    };
  }
  out.onModelAfterCreateSuccess = (fn, ...tags) => {
    alsoCollections('onModelAfterCreateSuccess', fn, tags);
    app.onRecordAfterCreate(model(fn), ...tags);
  };
  out.onModelAfterUpdateSuccess = (fn, ...tags) => {
    alsoCollections('onModelAfterUpdateSuccess', fn, tags);
    app.onRecordAfterUpdate(model(fn), ...tags);
  };
  out.onModelAfterDeleteSuccess = (fn, ...tags) => {
    alsoCollections('onModelAfterDeleteSuccess', fn, tags);
    app.onRecordAfterDelete(model(fn), ...tags);
  };
  out.onModelValidate = (fn, ...tags) => {
    alsoCollections('onModelValidate', fn, tags);
    app.onRecordCreate(model(fn), ...tags);
    app.onRecordUpdate(model(fn), ...tags);
  };
  return out;
}
