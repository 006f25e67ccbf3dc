import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

/** Structured JSON logs (pino) for every service, with the service name on every line. */
export function loggerModule(serviceName: string, level: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service: serviceName },
      autoLogging: false,
      redact: ['req.headers.authorization'],
    },
  });
}
