import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, READINESS_TIMEOUT_MS, ReadinessCheck } from '@lib/core';

/** `/readyz` of a realtime process without a database: the records service it asks answers `/healthz`. */
@Injectable()
export class RecordsServiceReadinessCheck extends ReadinessCheck {
  readonly name = 'records';

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    super();
  }

  override enabled(): boolean {
    return this.config.records.url !== '';
  }

  override async check(): Promise<void> {
    const res = await fetch(`${this.config.records.url}/healthz`, {
      signal: AbortSignal.timeout(READINESS_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) {
      throw new Error(`records service answered ${res.status}`);
    }
  }
}
