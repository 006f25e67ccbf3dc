import { DynamicModule, Module } from '@nestjs/common';
import { dependencyProbeProviders, serviceModule } from '@rtp/shared/observability';
import { PartnerAdapterConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: PartnerAdapterConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'partner-adapter',
      logLevel: config.LOG_LEVEL,
      providers: dependencyProbeProviders({
        serviceName: 'partner-adapter',
        databaseUrl: config.DATABASE_URL,
        kafkaBrokers: config.KAFKA_BROKERS,
      }),
    });
  }
}
