import type { SqlDialect } from './dialect';
import { sqliteDialect } from './sqlite-dialect';
import { AliasCounter, compileFilterAst } from './expression-compiler';
import { parseFilter } from './parser';
import type { CompiledExpression, CompileOptions, RequestInfo } from './query.types';
import type { Frag } from './sql-fragment';
import { compileSortExpression } from './sort-compiler';

/** Entries kept before the oldest ones are dropped. */
const MAX_CACHE_ENTRIES = 2000;

/** A compiled expression with the options it was compiled for (those its SQL depends on). */
interface CacheEntry {
  kind: string;
  mode: CompileOptions['mode'];
  superuser: boolean;
  collectionId: string;
  collectionUpdated: string;
  alias: string;
  compiled: CompiledExpression;
}

/**
 * Compiles filter/rule expressions and sort params to parameterised SQL for one dialect, with a cache keyed
 * by the expression and the options. Call `clear()` whenever any collection changes (relations reach into
 * other collections, so a change elsewhere can change the SQL).
 */
export class QueryCompiler {
  /** Entries by expression text: a rule's text is the same string on every request, so the lookup hashes nothing. */
  private readonly cache = new Map<string, CacheEntry[]>();
  private size = 0;

  constructor(private readonly dialect: SqlDialect = sqliteDialect) {}

  compile(expr: string, opts: CompileOptions): CompiledExpression {
    return this.cached('f', expr, opts, () => {
      const ast = parseFilter(expr);
      return compileFilterAst(ast, opts, this.dialect, new AliasCounter());
    });
  }

  compileSort(sort: string, opts: CompileOptions): CompiledExpression {
    if (sort.trim() === '') {
      return { sql: '', bind: () => [] };
    }
    return this.cached('s', sort, opts, () => compileSortExpression(sort, opts, this.dialect));
  }

  clear(): void {
    this.cache.clear();
    this.size = 0;
  }

  private cached(kind: string, expr: string, opts: CompileOptions, build: () => Frag): CompiledExpression {
    const superuser = opts.mode === 'filter' && opts.isSuperuser;
    const entries = this.cache.get(expr);
    const hit = entries?.find(
      (e) =>
        e.kind === kind &&
        e.mode === opts.mode &&
        e.superuser === superuser &&
        e.collectionId === opts.collection.id &&
        e.collectionUpdated === opts.collection.updated &&
        e.alias === opts.alias,
    );
    if (hit) {
      return hit.compiled;
    }
    const compiled = this.finish(build());
    if (this.size >= MAX_CACHE_ENTRIES) {
      const oldest = this.cache.entries().next();
      if (!oldest.done) {
        this.cache.delete(oldest.value[0]);
        this.size -= oldest.value[1].length;
      }
    }
    const entry: CacheEntry = {
      kind,
      mode: opts.mode,
      superuser,
      collectionId: opts.collection.id,
      collectionUpdated: opts.collection.updated,
      alias: opts.alias,
      compiled,
    };
    if (entries && this.cache.has(expr)) {
      entries.push(entry);
    } else {
      this.cache.set(expr, [entry]);
    }
    this.size++;
    return compiled;
  }

  private finish(frag: Frag): CompiledExpression {
    const { dialect } = this;
    const params = [...frag.params];
    return {
      sql: frag.sql,
      bind(request: RequestInfo): unknown[] {
        const ctx = { request, now: new Date() };
        return params.map((binder) => dialect.toValue(binder(ctx)));
      },
    };
  }
}
