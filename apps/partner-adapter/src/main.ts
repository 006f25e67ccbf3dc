import 'reflect-metadata';
import { runService } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadPartnerAdapterConfig } from './config';

const config = loadPartnerAdapterConfig(process.env);

runService({
  serviceName: 'partner-adapter',
  module: () => AppModule.forRoot(config),
  port: () => ({ port: config.PARTNER_ADAPTER_PORT, host: config.HOST }),
  // The webhook's signature covers the exact bytes: the body is kept as text, parsed after it
  // is verified.
  parseJson: (body) => body.toString('utf8'),
});
