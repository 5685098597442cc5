import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from '@lib/core';
import { GatewayUpstreams } from './gateway-upstreams';

/**
 * The gateway is ready when the records service (the core of the API) has an address that passed its last
 * probe. Another service being down doesn't take the gateway out of its load balancer: its routes answer 503
 * while the rest of the API keeps working.
 */
@Injectable()
export class UpstreamsReadinessCheck extends ReadinessCheck {
  readonly name = 'upstreams';

  constructor(private readonly upstreams: GatewayUpstreams) {
    super();
  }

  override check(): Promise<void> {
    return this.upstreams.pool('records').ready()
      ? Promise.resolve()
      : Promise.reject(new Error('no ready address of the records service'));
  }
}
