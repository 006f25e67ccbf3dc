import {
  DynamicModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Provider,
  Type,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { HealthController, READINESS_CHECKS, ReadinessCheck } from './health.controller';
import { loggerModule } from './logger';
import { dependencyProbeProviders } from './dependency-probes.providers';
import { MetricsController } from './metrics.controller';

/** What a service's runtime logs through: the service's own pino logger. */
export type RuntimeLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  detail?: unknown,
) => void;

/** A service's connections and workers, started when it boots and stopped when it shuts down. */
export interface ServiceRuntime {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceModuleOptions<R extends ServiceRuntime> {
  module: Type<unknown>;
  serviceName: string;
  logLevel: string;
  /** Log paths redacted besides the authorization header (pino `redact`). */
  redactPaths?: readonly string[];
  /** The service's own routes, besides /health and /metrics. */
  controllers?: Type<unknown>[];
  providers?: Provider[];
  /** The service's runtime (provided under `token`) and what readiness checks of it. */
  runtime?: {
    token: Type<R>;
    create: (log: RuntimeLog) => R;
    readiness: (runtime: R) => ReadinessCheck[];
  };
}

class RuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly runtime: ServiceRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

function runtimeProviders<R extends ServiceRuntime>(
  runtime: NonNullable<ServiceModuleOptions<R>['runtime']>,
): Provider[] {
  return [
    {
      provide: runtime.token,
      inject: [PinoLogger],
      useFactory: (logger: PinoLogger) =>
        runtime.create((level, message, detail) => logger[level]({ detail }, message)),
    },
    { provide: READINESS_CHECKS, inject: [runtime.token], useFactory: runtime.readiness },
    {
      provide: RuntimeLifecycle,
      inject: [runtime.token],
      useFactory: (instance: R) => new RuntimeLifecycle(instance),
    },
  ];
}

/**
 * A service's root module, the same for every service: JSON logs with the service's name, the
 * /health and /metrics routes, and, when it has one, its runtime started at boot and stopped at
 * shutdown, its readiness checked on it.
 */
export function serviceModule<R extends ServiceRuntime>(
  options: ServiceModuleOptions<R>,
): DynamicModule {
  return {
    module: options.module,
    imports: [loggerModule(options.serviceName, options.logLevel, options.redactPaths)],
    controllers: [HealthController, MetricsController, ...(options.controllers ?? [])],
    providers: [
      ...(options.runtime ? runtimeProviders(options.runtime) : []),
      ...(options.providers ?? []),
    ],
  };
}

/** The root module of a service without connections of its own: readiness probes its dependencies. */
export function probedServiceModule(options: {
  module: Type<unknown>;
  serviceName: string;
  logLevel: string;
  databaseUrl: string;
  kafkaBrokers: string[];
}): DynamicModule {
  const { module, serviceName, logLevel, databaseUrl, kafkaBrokers } = options;
  return serviceModule({
    module,
    serviceName,
    logLevel,
    providers: dependencyProbeProviders({ serviceName, databaseUrl, kafkaBrokers }),
  });
}
