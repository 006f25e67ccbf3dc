import { Controller, Get, Header } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';

let initialised = false;

/** Process metrics for every service, labelled with the service name. Idempotent. */
export function initMetrics(serviceName: string): void {
  if (initialised) return;
  initialised = true;
  register.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics();
}

@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', register.contentType)
  async metrics(): Promise<string> {
    return register.metrics();
  }
}
