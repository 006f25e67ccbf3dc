import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DependencyProbes } from './dependency-probes';
import { READINESS_CHECKS, ReadinessCheck } from './health.controller';

@Injectable()
class DependencyProbesLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(DependencyProbes) private readonly probes: DependencyProbes,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {}

  /** Not awaited: a broker that is still starting must not hold back the HTTP server. */
  onApplicationBootstrap(): void {
    this.probes.connectAdmin().catch((error: unknown) => {
      this.logger.warn({ error }, 'kafka not reachable yet; readiness retries');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.probes.close();
  }
}

/** Readiness on Postgres and Kafka for a service that has no connections of its own yet. */
export function dependencyProbeProviders(options: {
  serviceName: string;
  databaseUrl: string;
  kafkaBrokers: string[];
}): Provider[] {
  return [
    {
      provide: DependencyProbes,
      inject: [PinoLogger],
      useFactory: (logger: PinoLogger) =>
        new DependencyProbes({
          ...options,
          log: (message, error) => logger.error({ error }, message),
        }),
    },
    {
      provide: READINESS_CHECKS,
      inject: [DependencyProbes],
      useFactory: (probes: DependencyProbes): ReadinessCheck[] => probes.checks(),
    },
    DependencyProbesLifecycle,
  ];
}
