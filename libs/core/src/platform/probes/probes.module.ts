import { DynamicModule, Inject, Module, OnModuleInit, type ModuleMetadata, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ReadinessCheck } from './readiness-check';
import { ProbesService, READINESS_CHECKS, type ProbeAnswer } from './probes.service';

/**
 * `GET /healthz` (liveness) and `GET /readyz` (readiness) for container orchestrators, outside `/api`.
 * They are plain Fastify routes: no auth guard, no cache sync, no error envelope runs before them.
 *
 * ```ts
 * ProbesModule.forRoot([DatabaseReadinessCheck, RedisReadinessCheck]);
 * ProbesModule.forRoot([UpstreamsReadinessCheck], [UpstreamsModule]); // checks with their own modules
 * ```
 */
@Module({})
export class ProbesModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ProbesService) private readonly probes: ProbesService,
  ) {}

  /** `checks`: the `ReadinessCheck` classes of this process; `imports`: modules their dependencies need. */
  static forRoot(checks: Type<ReadinessCheck>[] = [], imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: ProbesModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...imports],
      providers: [
        ...checks,
        { provide: READINESS_CHECKS, inject: checks, useFactory: (...list: ReadinessCheck[]) => list },
        ProbesService,
      ],
      exports: [ProbesService],
    };
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) {
      return;
    }
    const send = (reply: FastifyReply, { status, body }: ProbeAnswer) =>
      reply.status(status).header('cache-control', 'no-cache, no-store, must-revalidate').send(body);
    fastify.get('/healthz', async (_request, reply) => send(reply, await this.probes.liveness()));
    fastify.get('/readyz', async (_request, reply) => send(reply, await this.probes.readiness()));
  }
}
