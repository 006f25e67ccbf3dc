// The tests use the same thin gateway client as the benchmarks and chaos.
export { GatewayClient } from '../../tools/bench/harness/gateway-client';
export type { ApiResponse } from '../../tools/bench/harness/gateway-client';
