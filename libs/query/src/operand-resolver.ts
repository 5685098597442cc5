import { ForbiddenError } from '@lib/core';
import { isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';
import type { OperandNode } from './ast';
import { invalidFilter } from './errors';
import { resolveFunction } from './functions';
import { macroBinder } from './macros';
import { type AliasAllocator, type Operand, scalar } from './operand';
import { columnType, PathWalker } from './path-walker';
import { asJsonArray, type RequestSection, requestIsSet, requestValue } from './request-values';
import { isRestricted, type ResolveContext } from './resolve-context';
import type { BindKind } from './dialect';
import type { Binder } from './sql-fragment';

/** Splits `a.b.c:mod` into parts and the modifier of the last part. */
function splitIdentifier(name: string): { parts: string[]; modifier: string | null } {
  const parts = name.split('.');
  const last = parts[parts.length - 1];
  const colon = last.indexOf(':');
  if (colon < 0) {
    return { parts, modifier: null };
  }
  parts[parts.length - 1] = last.slice(0, colon);
  return { parts, modifier: last.slice(colon + 1) };
}

/** Resolves any operand of a comparison (or a function argument). */
export function resolveOperand(ctx: ResolveContext, node: OperandNode, alloc: AliasAllocator): Operand {
  switch (node.type) {
    case 'text': {
      const value = node.value;
      return bound(ctx, () => value, 'text', value === '' ? 'empty' : 'nonEmpty', false);
    }
    case 'number': {
      const value = node.value;
      return bound(ctx, () => value, 'dyn', 'nonEmpty', false);
    }
    case 'bool': {
      const lit = ctx.dialect.boolLiteral(node.value);
      return scalar(lit.expr, { vtype: lit.vtype, emptiness: 'nonEmpty' });
    }
    case 'null': {
      const lit = ctx.dialect.nullLiteral();
      return scalar(lit.expr, { vtype: lit.vtype, emptiness: 'empty' });
    }
    case 'function':
      return resolveFunction(ctx, node, (arg) => resolveOperand(ctx, arg, alloc));
    case 'identifier':
      return resolveIdentifier(ctx, node.name, node.position, alloc);
  }
}

function bound(
  ctx: ResolveContext,
  binder: Binder,
  kind: BindKind,
  emptiness: 'empty' | 'nonEmpty' | 'unknown',
  dynamic: boolean,
): Operand {
  const { expr, vtype } = ctx.dialect.bind(binder, kind);
  return scalar(expr, { vtype, emptiness, dynamic, binder });
}

function dynamicValue(ctx: ResolveContext, binder: Binder): Operand {
  return { ...bound(ctx, binder, 'dyn', 'unknown', true), origin: 'request' };
}

function resolveIdentifier(ctx: ResolveContext, name: string, position: number, alloc: AliasAllocator): Operand {
  if (name.startsWith('@request.')) {
    if (isRestricted(ctx.opts)) {
      throw new ForbiddenError('Only superusers can filter by @request.');
    }
    return resolveRequest(ctx, name, position, alloc);
  }
  if (name.startsWith('@collection.')) {
    if (isRestricted(ctx.opts)) {
      throw new ForbiddenError('Only superusers can filter by @collection.');
    }
    return { ...resolveCollection(ctx, name, position, alloc), origin: 'collection' };
  }
  if (name.startsWith('@')) {
    const macro = macroBinder(name);
    if (!macro) {
      throw invalidFilter(`unknown identifier "${name}"`, position);
    }
    return bound(ctx, macro, 'dyn', 'nonEmpty', true);
  }
  const { parts, modifier } = splitIdentifier(name);
  const { collection, alias } = ctx.opts;
  return new PathWalker(ctx, alloc, alias, position).walk(collection, alias, parts, modifier);
}

function resolveCollection(ctx: ResolveContext, name: string, position: number, alloc: AliasAllocator): Operand {
  const { parts, modifier } = splitIdentifier(name.slice('@collection.'.length));
  const [head, ...rest] = parts;
  const [collectionName, joinAlias = '', ...extra] = head.split(':');
  const collection = ctx.opts.schema.findCollection(collectionName);
  if (!collection || extra.length > 0 || rest.length === 0 || (joinAlias !== '' && !/^\w+$/.test(joinAlias))) {
    throw invalidFilter(`invalid @collection identifier "${name}"`, position);
  }
  if (rest.some((p) => p.includes(':'))) {
    throw invalidFilter(`invalid @collection identifier "${name}"`, position);
  }
  const key = `@collection.${collection.id}:${joinAlias}`;
  const tableAlias = alloc.alias(key);
  const rule = ctx.joinRule(collection, tableAlias, position);
  const item = {
    source: ctx.dialect.table(collection.name, tableAlias),
    on: rule ?? ctx.dialect.alwaysTrue(),
    alias: tableAlias,
  };
  const walker = new PathWalker(ctx, alloc, key, position, { items: [item], multi: true });
  return walker.walk(collection, tableAlias, rest, modifier);
}

function resolveRequest(ctx: ResolveContext, name: string, position: number, alloc: AliasAllocator): Operand {
  const { parts, modifier } = splitIdentifier(name.slice('@request.'.length));
  const [section, key, ...rest] = parts;
  if ((section === 'method' || section === 'context') && key === undefined) {
    const value = dynamicValue(ctx, (c) => (section === 'method' ? c.request.method : c.request.context));
    return withModifier(ctx, value, modifier, position, ['lower']);
  }
  if (!['auth', 'body', 'query', 'headers'].includes(section) || key === undefined || !/^\w+$/.test(key)) {
    throw invalidFilter(`unknown identifier "@request.${parts.join('.')}"`, position);
  }
  const sec = section as RequestSection;
  if (rest.length > 0) {
    return requestRelation(ctx, sec, key, rest, modifier, position, alloc);
  }
  const field = requestField(ctx, sec, key);
  switch (modifier) {
    case 'isset':
      if (sec === 'auth') {
        break;
      }
      return { ...bound(ctx, requestIsSet(sec, key), 'dyn', 'nonEmpty', true), origin: 'request' };
    case 'changed':
      return changed(ctx, sec, key, position);
    case 'each':
    case 'length':
    case 'lower':
    case null:
      if (modifier === 'each' || modifier === 'length' || (sec === 'auth' && field && isMultiple(field))) {
        const value = requestValue(sec, key);
        const json = ctx.dialect.bind((c) => asJsonArray(value(c)), 'jsonArray').expr;
        const walker = new PathWalker(ctx, alloc, `@request.${sec}.${key}`, position);
        return {
          ...walker.finish({ expr: json, vtype: 'jsonText' }, listField(key), modifier, true),
          origin: 'request',
        };
      }
      return withModifier(ctx, dynamicValue(ctx, requestValue(sec, key)), modifier, position, ['lower']);
    default:
      return withModifier(ctx, dynamicValue(ctx, requestValue(sec, key)), modifier, position, ['lower']);
  }
  throw invalidFilter(`unsupported modifier ":${modifier ?? ''}"`, position);
}

/** A stand-in field for a request value handled as a list. */
function listField(name: string): FieldModel {
  return { id: name, name, type: 'select', system: false, hidden: false, presentable: false, maxSelect: 2 };
}

/** The field a request key stands for: of the current collection (body) or of an auth collection (auth). */
function requestField(ctx: ResolveContext, section: RequestSection, key: string): FieldModel | undefined {
  if (section === 'body') {
    return ctx.opts.collection.fields.find((f) => f.name === key);
  }
  if (section === 'auth') {
    return authCollectionWith(ctx, key)?.fields.find((f) => f.name === key);
  }
  return undefined;
}

function authCollectionWith(ctx: ResolveContext, key: string): CollectionModel | undefined {
  const auths = ctx.opts.schema.allCollections().filter((c) => c.type === 'auth');
  return (
    auths.find((c) => c.name === 'users' && c.fields.some((f) => f.name === key)) ??
    auths.find((c) => c.fields.some((f) => f.name === key))
  );
}

function withModifier(
  ctx: ResolveContext,
  value: Operand,
  modifier: string | null,
  position: number,
  allowed: string[],
): Operand {
  if (modifier === null) {
    return value;
  }
  if (!allowed.includes(modifier) || value.kind !== 'scalar') {
    throw invalidFilter(`unsupported modifier ":${modifier}"`, position);
  }
  const lowered = ctx.dialect.lower(value);
  return { ...value, expr: lowered.expr, vtype: lowered.vtype, affinity: undefined, binder: undefined };
}

/** `@request.body.f:changed`: submitted, and different from the stored value (compared with IS). */
function changed(ctx: ResolveContext, section: RequestSection, key: string, position: number): Operand {
  const field = ctx.opts.collection.fields.find((f) => f.name === key);
  if (section !== 'body' || !field) {
    throw invalidFilter(':changed applies only to @request.body.<field of the collection>', position);
  }
  const { dialect } = ctx;
  const isSet = dialect.bind(requestIsSet('body', key), 'bool');
  const value = dialect.bind(requestValue('body', key), 'dyn');
  const column = { expr: dialect.column(ctx.opts.alias, field.name), ...columnType(field) };
  const result = dialect.changed(isSet, value, column);
  return scalar(result.expr, { vtype: result.vtype, noCoalesce: true, origin: 'request' });
}

/** `@request.auth.rel.x` / `@request.body.rel.x`: follows the relation ids held by the request. */
function requestRelation(
  ctx: ResolveContext,
  section: RequestSection,
  key: string,
  rest: string[],
  modifier: string | null,
  position: number,
  alloc: AliasAllocator,
): Operand {
  const owner =
    section === 'auth' ? authCollectionWith(ctx, key) : section === 'body' ? ctx.opts.collection : undefined;
  const field = owner?.fields.find((f) => f.name === key);
  if (!owner || !field || field.type !== 'relation') {
    throw invalidFilter(`"@request.${section}.${key}" is not a relation`, position);
  }
  const read = requestValue(section, key);
  const ownerId = owner.id;
  const guarded: Binder =
    section === 'auth' ? (c) => (c.request.auth?.['collectionId'] === ownerId ? read(c) : null) : read;
  const value = isMultiple(field)
    ? ctx.dialect.bind((c) => asJsonArray(guarded(c)), 'jsonArray')
    : ctx.dialect.bind(guarded, 'dyn');
  const walker = new PathWalker(ctx, alloc, `@request.${section}.${key}`, position);
  return { ...walker.relation(field, value, true, rest, modifier), origin: 'request' };
}
