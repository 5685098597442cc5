import { ApiError, type FieldError } from '@lib/core';
import { QueryCompiler, type SchemaLookup } from '@lib/query';
import type { CollectionModel } from '@lib/schema';

const RULE_KEYS = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule', 'authRule', 'manageRule'] as const;

/** A schema lookup that sees `collection` as it would be after the save. */
export function lookupWith(collection: CollectionModel, base: SchemaLookup): SchemaLookup {
  const all = [...base.allCollections().filter((c) => c.id !== collection.id), collection];
  return {
    findCollection: (nameOrId) =>
      nameOrId === collection.id || nameOrId.toLowerCase() === collection.name.toLowerCase()
        ? collection
        : base.findCollection(nameOrId),
    allCollections: () => all,
  };
}

/** Compiles every rule of a collection once, so a broken rule is a 400 on save, not on use. */
export function checkRules(
  compiler: QueryCompiler,
  collection: CollectionModel,
  schema: SchemaLookup,
): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const key of RULE_KEYS) {
    const rule = collection[key];
    if (typeof rule !== 'string' || rule.trim() === '') {
      continue;
    }
    try {
      compiler.compile(rule, { collection, schema, mode: 'rule', isSuperuser: true, alias: 'r' });
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'Invalid rule.';
      errors[key] = { code: 'validation_invalid_rule', message };
    }
  }
  return errors;
}
