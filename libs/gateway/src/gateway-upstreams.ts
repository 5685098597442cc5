import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError, UPSTREAM_SERVICES, type UpstreamService } from '@lib/core';
import { UpstreamPool } from './upstream-pool';

/** Throws a ConfigError naming every `NB_UPSTREAM_*` the gateway lacks (checked before the app is built). */
export function requireUpstreams(config: AppConfig): void {
  const missing = UPSTREAM_SERVICES.filter((service) => config.gateway.upstreams[service].length === 0);
  if (missing.length > 0) {
    throw new ConfigError(
      `the gateway needs ${missing.map((service) => `NB_UPSTREAM_${service.toUpperCase()}`).join(', ')}`,
    );
  }
}

/** The gateway's upstream pools, one per service, re-resolved and probed every `healthIntervalMs`. */
@Injectable()
export class GatewayUpstreams implements OnModuleInit, OnModuleDestroy {
  private readonly pools: Record<UpstreamService, UpstreamPool>;
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;

  constructor(private readonly config: AppConfig) {
    const pools = {} as Record<UpstreamService, UpstreamPool>;
    requireUpstreams(config);
    for (const service of UPSTREAM_SERVICES) {
      pools[service] = new UpstreamPool(service, config.gateway.upstreams[service]);
    }
    this.pools = pools;
  }

  pool(service: UpstreamService): UpstreamPool {
    return this.pools[service];
  }

  all(): UpstreamPool[] {
    return Object.values(this.pools);
  }

  /** One round of DNS resolution and probes at start, then one per interval. */
  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.gateway.healthIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Refreshes every pool; overlapping calls share the round in flight. */
  refresh(): Promise<void> {
    this.refreshing ??= Promise.all(this.all().map((pool) => pool.refresh())).then(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }
}
