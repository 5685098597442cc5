import { isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';
import { invalidFilter } from './errors';
import { type AliasAllocator, type JoinItem, type Operand, scalar } from './operand';
import {
  findField,
  hasUniqueIndex,
  isRestricted,
  MAX_BACK_RELATIONS,
  MAX_RELATION_DEPTH,
  type ResolveContext,
} from './resolve-context';
import type { Typed } from './dialect';
import { type Frag, sql } from './sql-fragment';

const BACK_RELATION = /^(\w+)_via_(\w+)$/;
const EACH_TYPES = new Set(['select', 'file', 'relation']);

/**
 * Resolves one dotted path (fields, relations, back-relations, JSON paths, modifiers) into an operand. Joins
 * collected on the way become LEFT JOIN items: a multi-valued path keeps them as a set source, a single-valued
 * one is turned into a scalar subquery.
 */
export class PathWalker {
  private readonly items: JoinItem[] = [];
  private multi: boolean;
  private hops = 0;
  private backRelations = 0;

  constructor(
    private readonly ctx: ResolveContext,
    private readonly alloc: AliasAllocator,
    private key: string,
    private readonly position: number,
    start?: { items: JoinItem[]; multi: boolean },
  ) {
    this.items.push(...(start?.items ?? []));
    this.multi = start?.multi ?? false;
  }

  /** Walks `parts` from the row `alias` of `collection`. */
  walk(collection: CollectionModel, alias: string, parts: readonly string[], modifier: string | null): Operand {
    const [part, ...rest] = parts;
    const back = BACK_RELATION.exec(part);
    if (back && !collection.fields.some((f) => f.name === part)) {
      if (rest.length === 0) {
        throw invalidFilter(`back-relation "${part}" needs a field (e.g. ${part}.id)`, this.position);
      }
      const next = this.joinBackRelation(collection, alias, part, back[1], back[2]);
      return this.walk(next.collection, next.alias, rest, modifier);
    }
    const field = findField(this.ctx, collection, part, this.position);
    const column = this.columnOf(collection, alias, field);
    if (rest.length === 0) {
      const operand = this.finish(column, field, modifier, false);
      const maskedEmail = collection.type === 'auth' && field.name === 'email' && isRestricted(this.ctx.opts);
      if (operand.kind === 'scalar' && modifier === null && this.items.length === 0 && !maskedEmail) {
        operand.notNull = operand.expr === column.expr && storedNotNull(collection, field);
      }
      return operand;
    }
    this.key += '.' + part;
    if (field.type === 'relation') {
      return this.relation(field, column, false, rest, modifier);
    }
    if (field.type === 'json') {
      return this.finish(this.jsonPath(column.expr, rest), null, modifier, false, true);
    }
    if (field.type === 'geoPoint') {
      if (rest.length !== 1 || (rest[0] !== 'lon' && rest[0] !== 'lat')) {
        throw invalidFilter(`geoPoint field "${part}" has only .lon and .lat`, this.position);
      }
      return this.finish(this.jsonPath(column.expr, rest), null, modifier, false, true);
    }
    throw invalidFilter(`field "${part}" is not a relation`, this.position);
  }

  /** Follows relation `field` whose stored value is `value` (a column, or a bound JSON array when `trusted`). */
  relation(
    field: FieldModel,
    value: Typed,
    trusted: boolean,
    rest: readonly string[],
    modifier: string | null,
  ): Operand {
    const { dialect } = this.ctx;
    if (++this.hops > MAX_RELATION_DEPTH) {
      throw invalidFilter(`more than ${MAX_RELATION_DEPTH} relation levels`, this.position);
    }
    const target = this.ctx.opts.schema.findCollection(field.collectionId ?? '');
    if (!target) {
      throw invalidFilter(`the collection of relation "${field.name}" doesn't exist`, this.position);
    }
    let joinValue = value;
    if (isMultiple(field)) {
      const each = this.alloc.alias(this.key + '#each');
      this.items.push({ source: dialect.jsonEach(value.expr, each, trusted), on: dialect.alwaysTrue(), alias: each });
      joinValue = dialect.jsonEachValue(each);
      this.multi = true;
    }
    if (rest.length === 1 && rest[0] === 'id' && modifier !== 'each' && modifier !== 'length') {
      return this.finish(joinValue, null, modifier, false);
    }
    const alias = this.alloc.alias(this.key);
    const rule = this.ctx.joinRule(target, alias, this.position);
    const on = dialect.compare({ expr: dialect.column(alias, 'id'), vtype: 'text', affinity: 'text' }, '=', joinValue);
    this.items.push({ source: dialect.table(target.name, alias), on: rule ? sql`${on} AND (${rule})` : on, alias });
    return this.walk(target, alias, rest, modifier);
  }

  /** Applies the modifier of the last part and builds the operand. */
  finish(
    value: Typed,
    field: FieldModel | null,
    modifier: string | null,
    trusted: boolean,
    noCoalesce = false,
  ): Operand {
    const { dialect } = this.ctx;
    let result = value;
    let storedText: Frag | undefined;
    const eachOf = (): Typed => {
      const each = this.alloc.alias(this.key + '.' + (field?.name ?? '') + '#each');
      this.items.push({ source: dialect.jsonEach(value.expr, each, trusted), on: dialect.alwaysTrue(), alias: each });
      this.multi = true;
      return dialect.jsonEachValue(each);
    };
    switch (modifier) {
      case null:
      case 'lower':
        if (field && isMultiple(field)) {
          storedText = modifier === null && this.items.length === 0 ? value.expr : undefined;
          result = eachOf();
        }
        result = modifier === 'lower' ? dialect.lower(result) : result;
        break;
      case 'each':
        if (!field || !EACH_TYPES.has(field.type)) {
          throw invalidFilter(':each applies only to select, file and relation fields', this.position);
        }
        result = isMultiple(field) ? eachOf() : value;
        break;
      case 'length':
        if (!field || !isMultiple(field)) {
          throw invalidFilter(':length applies only to multiple select, file and relation fields', this.position);
        }
        result = dialect.jsonArrayLength(value.expr, trusted);
        break;
      default:
        throw invalidFilter(`unsupported modifier ":${modifier}"`, this.position);
    }
    return this.build(result, noCoalesce, storedText);
  }

  private build(typed: Typed, noCoalesce: boolean, storedText?: Frag): Operand {
    const { expr: value, vtype, affinity } = typed;
    if (this.items.length === 0) {
      return scalar(value, { noCoalesce, vtype, affinity });
    }
    if (this.multi) {
      const multi = { kind: 'multi' as const, items: this.items, value, noCoalesce, emptiness: 'unknown' as const };
      return { ...multi, vtype, affinity, dynamic: false, ...(storedText ? { storedText } : {}) };
    }
    const [first, ...joins] = this.items;
    const check = this.ctx.dialect.interruptCheck();
    const joined = joins.map((j) => sql` LEFT JOIN ${j.source} ON ${check} AND (${j.on})`);
    let from = first.source;
    for (const j of joined) {
      from = sql`${from}${j}`;
    }
    const sub = this.ctx.dialect.subquery(typed, sql`${from} WHERE ${check} AND (${first.on}) LIMIT 1`);
    return scalar(sub.expr, { noCoalesce, vtype: sub.vtype, affinity: sub.affinity });
  }

  private columnOf(collection: CollectionModel, alias: string, field: FieldModel): Typed {
    const { dialect } = this.ctx;
    const column = dialect.column(alias, field.name);
    if (collection.type === 'auth' && field.name === 'email' && isRestricted(this.ctx.opts)) {
      const visible = dialect.isTrue(dialect.column(alias, 'emailVisibility'));
      return { expr: sql`(CASE WHEN ${visible} THEN ${column} END)`, vtype: 'text' };
    }
    return { expr: column, ...columnType(field) };
  }

  private jsonPath(column: Frag, path: readonly string[]): Typed {
    for (const part of path) {
      if (!/^\w+$/.test(part)) {
        throw invalidFilter(`invalid JSON path part "${part}"`, this.position);
      }
    }
    return this.ctx.dialect.jsonExtract(column, path);
  }

  private joinBackRelation(
    collection: CollectionModel,
    alias: string,
    part: string,
    sourceName: string,
    fieldName: string,
  ): { collection: CollectionModel; alias: string } {
    const { dialect, opts } = this.ctx;
    const source = opts.schema.findCollection(sourceName);
    const field = source?.fields.find((f) => f.name === fieldName);
    if (!source || !field || field.type !== 'relation' || field.collectionId !== collection.id) {
      throw invalidFilter(`invalid back-relation "${part}"`, this.position);
    }
    findField(this.ctx, source, fieldName, this.position);
    if (++this.hops > MAX_RELATION_DEPTH) {
      throw invalidFilter(`more than ${MAX_RELATION_DEPTH} relation levels`, this.position);
    }
    if (++this.backRelations > MAX_BACK_RELATIONS) {
      throw invalidFilter(`more than ${MAX_BACK_RELATIONS} back-relations (_via_) in one path`, this.position);
    }
    this.key += '.' + part;
    const joined = this.alloc.alias(this.key);
    const ref = dialect.column(joined, field.name);
    const id = dialect.column(alias, 'id');
    const cond = isMultiple(field)
      ? dialect.jsonArrayContains(ref, id)
      : dialect.compare({ expr: ref, vtype: 'text', affinity: 'text' }, '=', {
          expr: id,
          vtype: 'text',
          affinity: 'text',
        });
    const rule = this.ctx.joinRule(source, joined, this.position);
    const on = rule ? sql`${cond} AND (${rule})` : cond;
    this.items.push({ source: dialect.table(source.name, joined), on, alias: joined });
    if (isMultiple(field) || !hasUniqueIndex(source, field.name)) {
      this.multi = true;
    }
    return { collection: source, alias: joined };
  }
}

/** Columns of base/auth tables stored NOT NULL (everything but json; views may yield NULLs). */
function storedNotNull(collection: CollectionModel, field: FieldModel): boolean {
  return collection.type !== 'view' && field.type !== 'json';
}

/** The value type and affinity of a field's stored column. */
export function columnType(field: FieldModel): Pick<Typed, 'vtype' | 'affinity'> {
  if (isMultiple(field) || field.type === 'json' || field.type === 'geoPoint') {
    return { vtype: 'jsonText', affinity: 'text' };
  }
  if (field.type === 'number') {
    return { vtype: 'number', affinity: 'numeric' };
  }
  if (field.type === 'bool') {
    return { vtype: 'bool', affinity: 'numeric' };
  }
  return { vtype: 'text', affinity: 'text' };
}
