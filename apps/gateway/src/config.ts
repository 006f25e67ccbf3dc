// The gateway's settings live in its infrastructure library, where the tools read them too.
export { gatewayConfigShape, loadGatewayConfig } from '@rtp/gateway/config';
export type { GatewayConfig } from '@rtp/gateway/config';
