import { Provider } from '@nestjs/common';
import {
  ManageWebhookEndpointsHandler,
  RegisterWebhookEndpointHandler,
  WebhookDeliveriesHandler,
} from '@rtp/gateway/application';
import {
  GatewayRuntime,
  SYSTEM_IDS_AND_CLOCK,
  WebhookSettings,
  resolveHost,
} from '@rtp/gateway/infrastructure';
import { GatewayConfig } from './config';

export function webhookSettingsOf(config: GatewayConfig): WebhookSettings {
  return {
    allowLoopback: config.GATEWAY_WEBHOOK_ALLOW_LOOPBACK,
    retry: {
      backoffMsMin: config.GATEWAY_WEBHOOK_BACKOFF_MS_MIN,
      backoffMsMax: config.GATEWAY_WEBHOOK_BACKOFF_MS_MAX,
      retryForMs: config.GATEWAY_WEBHOOK_RETRY_FOR_MS,
      disableAfterMs: config.GATEWAY_WEBHOOK_DISABLE_AFTER_MS,
    },
    timeoutMs: config.GATEWAY_WEBHOOK_TIMEOUT_MS,
    concurrencyPerEndpoint: config.GATEWAY_WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    inFlightMax: config.GATEWAY_WEBHOOK_IN_FLIGHT_MAX,
    payloadBytesMax: config.GATEWAY_WEBHOOK_PAYLOAD_BYTES_MAX,
    responseBytesMax: 64 * 1_024,
    pollIntervalMs: config.GATEWAY_WEBHOOK_POLL_INTERVAL_MS,
    endpointsPerClientMax: config.GATEWAY_WEBHOOK_ENDPOINTS_PER_CLIENT_MAX,
  };
}

/** The webhook endpoints' use cases, on the runtime's store (libs/gateway/application). */
export function webhookUseCases(config: GatewayConfig): Provider[] {
  const settings = webhookSettingsOf(config);
  const system = SYSTEM_IDS_AND_CLOCK;
  return [
    {
      provide: RegisterWebhookEndpointHandler,
      inject: [GatewayRuntime],
      useFactory: (runtime: GatewayRuntime) =>
        new RegisterWebhookEndpointHandler(
          runtime.webhookEndpoints,
          { resolve: resolveHost },
          {
            allowLoopback: settings.allowLoopback,
            endpointsPerClientMax: settings.endpointsPerClientMax,
          },
          system,
        ),
    },
    {
      provide: ManageWebhookEndpointsHandler,
      inject: [GatewayRuntime],
      useFactory: (runtime: GatewayRuntime) =>
        new ManageWebhookEndpointsHandler(runtime.webhookEndpoints, system),
    },
    {
      provide: WebhookDeliveriesHandler,
      inject: [GatewayRuntime],
      useFactory: (runtime: GatewayRuntime) =>
        new WebhookDeliveriesHandler(runtime.webhookEndpoints, system),
    },
  ];
}
