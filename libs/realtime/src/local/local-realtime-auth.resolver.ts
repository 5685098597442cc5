import { Injectable } from '@nestjs/common';
import type { RequestAuth } from '@lib/core';
import { RequestAuthGuard } from '@lib/auth';
import { RealtimeAuthResolver } from '../realtime-auth.resolver';

/** Resolves tokens with the auth lib's guard (the auth record read from the shared database, caches kept fresh). */
@Injectable()
export class LocalRealtimeAuthResolver extends RealtimeAuthResolver {
  constructor(private readonly guard: RequestAuthGuard) {
    super();
  }

  override resolve(header: string | undefined): Promise<RequestAuth | null> {
    return this.guard.resolve(header);
  }
}
