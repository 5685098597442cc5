import { type SqlDialect, sqliteDialect } from './dialect';
import { AliasCounter, compileFilterAst } from './expression-compiler';
import { parseFilter } from './parser';
import type { CompiledExpression, CompileOptions, RequestInfo } from './query.types';
import type { Frag } from './sql-fragment';
import { compileSortExpression } from './sort-compiler';

/** Entries kept before the oldest ones are dropped. */
const MAX_CACHE_ENTRIES = 2000;

/**
 * Compiles filter/rule expressions and sort params to parameterised SQL for one dialect, with a cache keyed
 * by the expression and the options. Call `clear()` whenever any collection changes (relations reach into
 * other collections, so a change elsewhere can change the SQL).
 */
export class QueryCompiler {
  private readonly cache = new Map<string, CompiledExpression>();

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
  }

  private cached(kind: string, expr: string, opts: CompileOptions, build: () => Frag): CompiledExpression {
    const superuser = opts.mode === 'filter' && opts.isSuperuser;
    const key = JSON.stringify([
      kind,
      expr,
      opts.mode,
      superuser,
      opts.collection.id,
      opts.collection.updated,
      opts.alias,
    ]);
    const hit = this.cache.get(key);
    if (hit) {
      return hit;
    }
    const compiled = this.finish(build());
    if (this.cache.size >= MAX_CACHE_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) {
        this.cache.delete(oldest.value);
      }
    }
    this.cache.set(key, compiled);
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
