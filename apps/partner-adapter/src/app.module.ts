import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  HealthController,
  MetricsController,
  READINESS_CHECKS,
  ReadinessCheck,
  loggerModule,
} from '@rtp/shared/observability';
import { PartnerAdapterConfig } from './config';
import { DependencyProbes } from './dependency-probes';

@Injectable()
class DependencyProbesLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(DependencyProbes) private readonly probes: DependencyProbes,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {}

  /** Not awaited: a broker that is still starting must not keep the HTTP server (and liveness) down. */
  onApplicationBootstrap(): void {
    this.probes
      .connectAdmin()
      .catch((error: unknown) => this.logger.warn({ error }, 'kafka not reachable yet; readiness retries'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.probes.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: PartnerAdapterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [loggerModule('partner-adapter', config.LOG_LEVEL)],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: DependencyProbes,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) =>
            new DependencyProbes({
              serviceName: 'partner-adapter',
              databaseUrl: config.DATABASE_URL,
              kafkaBrokers: config.KAFKA_BROKERS,
              log: (message, error) => logger.error({ error }, message),
            }),
        },
        {
          provide: READINESS_CHECKS,
          inject: [DependencyProbes],
          useFactory: (probes: DependencyProbes): ReadinessCheck[] => probes.checks(),
        },
        DependencyProbesLifecycle,
      ],
    };
  }
}
