import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { applyFields, parseFields } from '@lib/query';

/** Applies the `fields` query param to every 2xx JSON response of the app (reference §0). */
@Injectable()
export class FieldsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const fields = (context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined)
      ?.fields;
    if (typeof fields !== 'string' || fields === '') {
      return next.handle();
    }
    const tree = parseFields(fields);
    return next
      .handle()
      .pipe(map((body: unknown) => (body && typeof body === 'object' ? applyFields(body, tree) : body)));
  }
}

/** Kept while controllers migrate: the global FieldsInterceptor now applies `fields`. */
export function withFields<T>(_request: FastifyRequest, body: T): T {
  return body;
}
