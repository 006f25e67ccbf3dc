import { DynamicModule, Module } from '@nestjs/common';
import { probedServiceModule } from '@rtp/shared/observability';
import { PartnerAdapterConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: PartnerAdapterConfig): DynamicModule {
    return probedServiceModule({
      module: AppModule,
      serviceName: 'partner-adapter',
      logLevel: config.LOG_LEVEL,
      databaseUrl: config.DATABASE_URL,
      kafkaBrokers: config.KAFKA_BROKERS,
    });
  }
}
