import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { ReadinessCheck } from './readiness-check';

/** The checks `ProbesModule.forRoot` was given, in order. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** How long one check may take before it counts as down: under the probe timeouts of the gateway (1.5 s) and k8s. */
export const READINESS_TIMEOUT_MS = 1000;

export interface ProbeAnswer {
  status: 200 | 503;
  body: HealthCheckResult;
}

/** Liveness and readiness through terminus: liveness checks nothing, readiness every enabled dependency. */
@Injectable()
export class ProbesService {
  private readonly logger = new Logger('Probes');
  private ready: boolean | null = null;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
  ) {}

  /** The process is up and its event loop answers: nothing else is asked. */
  liveness(): Promise<ProbeAnswer> {
    return this.answer([]);
  }

  /** 200 when every dependency answers within `READINESS_TIMEOUT_MS`, else 503 with terminus' details. */
  async readiness(): Promise<ProbeAnswer> {
    const answer = await this.answer(
      this.checks
        .filter((c) => c.enabled())
        .map(
          (c) => () =>
            this.indicators
              .check(c.name)
              .attempt(() => c.check())
              .withTimeout(READINESS_TIMEOUT_MS),
        ),
    );
    this.logChange(answer);
    return answer;
  }

  private async answer(checks: Parameters<HealthCheckService['check']>[0]): Promise<ProbeAnswer> {
    try {
      return { status: 200, body: await this.health.check(checks) };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        return { status: 503, body: error.getResponse() as HealthCheckResult };
      }
      throw error;
    }
  }

  private logChange({ status, body }: ProbeAnswer): void {
    const ready = status === 200;
    if (ready === this.ready) {
      return;
    }
    if (ready) {
      if (this.ready === false) {
        this.logger.warn('ready again');
      }
    } else {
      this.logger.warn(`not ready: ${JSON.stringify(body.error ?? body.status)}`);
    }
    this.ready = ready;
  }
}
