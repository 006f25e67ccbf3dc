import { DynamicModule, Module } from '@nestjs/common';
import { probedServiceModule } from '@rtp/shared/observability';
import { ReconcilerConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: ReconcilerConfig): DynamicModule {
    return probedServiceModule({
      module: AppModule,
      serviceName: 'reconciler',
      logLevel: config.LOG_LEVEL,
      databaseUrl: config.DATABASE_URL,
      kafkaBrokers: config.KAFKA_BROKERS,
    });
  }
}
