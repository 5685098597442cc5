export { GatewayModule } from './gateway.module';
export { GatewayUpstreams, requireUpstreams } from './gateway-upstreams';
export { UpstreamPool } from './upstream-pool';
export type { UpstreamAddress } from './upstream-pool';
export { isApiUrl, routeFor } from './route-table';
export type { Route } from './route-table';
export { UpstreamsReadinessCheck } from './upstreams-readiness-check';
