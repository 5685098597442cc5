import { Injectable, Optional } from '@nestjs/common';
import type { RequestAuth } from '@lib/core';
import { RequestAuthGuard } from '@lib/auth';
import { StoreSync } from '@lib/records';
import { RealtimeAuthResolver } from '../realtime-auth.resolver';

/** Resolves tokens with the auth lib's guard (the auth record read from the shared database). */
@Injectable()
export class LocalRealtimeAuthResolver extends RealtimeAuthResolver {
  constructor(
    private readonly guard: RequestAuthGuard,
    @Optional() private readonly sync?: StoreSync,
  ) {
    super();
  }

  override async resolve(header: string | undefined): Promise<RequestAuth | null> {
    if (!header) {
      return null;
    }
    await this.sync?.ensureFresh();
    return this.guard.resolve(header);
  }
}
