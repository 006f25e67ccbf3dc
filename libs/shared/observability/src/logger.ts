import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { activeTraceId } from '@rtp/shared/tracing';

/** Whether a LOG_LEVEL writes debug lines (the per-message lines of a traced path). */
export const logsDebug = (level: string): boolean => level === 'debug' || level === 'trace';

/**
 * Structured JSON logs (pino) for every service, with the service name on every line and, on a
 * line written inside a trace (a request, a traced message), its `traceId`.
 */
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
      mixin: () => {
        const traceId = activeTraceId();
        return traceId ? { traceId } : {};
      },
      redact: ['req.headers.authorization', ...redactPaths],
    },
  });
}
