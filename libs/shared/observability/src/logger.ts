import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

/** Structured JSON logs (pino) for every service, with the service name on every line. */
export function loggerModule(
  serviceName: string,
  level: string,
  /** Further paths a service redacts (pino paths), e.g. where personal data could be logged. */
  redactPaths: readonly string[] = [],
): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service: serviceName },
      autoLogging: false,
      redact: ['req.headers.authorization', ...redactPaths],
    },
  });
}
