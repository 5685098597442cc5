import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, READINESS_TIMEOUT_MS, ReadinessCheck, recordsServiceUrls } from '@lib/core';

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

  /** Ready when one of the records service's URLs answers (the client fails over between them). */
  override async check(): Promise<void> {
    let failure: unknown;
    for (const url of recordsServiceUrls(this.config)) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) });
        await res.body?.cancel();
        if (res.ok) {
          return;
        }
        failure = new Error(`records service answered ${res.status}`);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
}
