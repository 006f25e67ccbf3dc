import { DynamicModule, Module } from '@nestjs/common';
import { dependencyProbeProviders, serviceModule } from '@rtp/shared/observability';
import { ReconcilerConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: ReconcilerConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'reconciler',
      logLevel: config.LOG_LEVEL,
      providers: dependencyProbeProviders({
        serviceName: 'reconciler',
        databaseUrl: config.DATABASE_URL,
        kafkaBrokers: config.KAFKA_BROKERS,
      }),
    });
  }
}
