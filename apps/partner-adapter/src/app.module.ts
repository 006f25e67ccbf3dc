import { DynamicModule, Module } from '@nestjs/common';
import {
  HealthController,
  MetricsController,
  dependencyProbeProviders,
  loggerModule,
} from '@rtp/shared/observability';
import { PartnerAdapterConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: PartnerAdapterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [loggerModule('partner-adapter', config.LOG_LEVEL)],
      controllers: [HealthController, MetricsController],
      providers: dependencyProbeProviders({
        serviceName: 'partner-adapter',
        databaseUrl: config.DATABASE_URL,
        kafkaBrokers: config.KAFKA_BROKERS,
      }),
    };
  }
}
