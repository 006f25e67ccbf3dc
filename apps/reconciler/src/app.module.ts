import { DynamicModule, Module } from '@nestjs/common';
import {
  HealthController,
  MetricsController,
  dependencyProbeProviders,
  loggerModule,
} from '@rtp/shared/observability';
import { ReconcilerConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: ReconcilerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [loggerModule('reconciler', config.LOG_LEVEL)],
      controllers: [HealthController, MetricsController],
      providers: dependencyProbeProviders({
        serviceName: 'reconciler',
        databaseUrl: config.DATABASE_URL,
        kafkaBrokers: config.KAFKA_BROKERS,
      }),
    };
  }
}
