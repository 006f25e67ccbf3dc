import 'reflect-metadata';
import { AdapterProblemFilter, adapterFrameworkErrors } from '@rtp/partner-adapter/infrastructure';
import { runService } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadPartnerAdapterConfig } from './config';

const config = loadPartnerAdapterConfig(process.env);

runService({
  serviceName: 'partner-adapter',
  module: () => AppModule.forRoot(config),
  port: () => ({ port: config.PARTNER_ADAPTER_PORT, host: config.HOST }),
  // problem+json for everything: input errors 4xx, the unexpected a 503 the bank retries.
  filters: [new AdapterProblemFilter()],
  frameworkErrors: adapterFrameworkErrors,
  // The webhook's signature covers the exact bytes: the body is kept as text, parsed after it
  // is verified.
  parseJson: (body) => body.toString('utf8'),
});
