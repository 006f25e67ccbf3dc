import { DynamicModule, ExceptionFilter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { initMetrics } from './metrics.controller';

/** Request bodies over 64 KiB are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 65_536;

export interface ServiceStart {
  serviceName: string;
  /** Reads and validates the configuration; a bad setting stops the process before anything starts. */
  module: () => DynamicModule;
  port: () => { port: number; host: string };
  filters?: ExceptionFilter[];
}

/** The shared `main.ts` of every service: Fastify, JSON logs, metrics, graceful shutdown. */
export function runService(start: ServiceStart): void {
  const bootstrap = async () => {
    const module = start.module();
    initMetrics(start.serviceName);
    const app = await NestFactory.create<NestFastifyApplication>(module,
      new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    if (start.filters) app.useGlobalFilters(...start.filters);
    app.enableShutdownHooks();
    const { port, host } = start.port();
    await app.listen(port, host);
  };
  bootstrap().catch((error: unknown) => {
    console.error(`${start.serviceName} failed to start`, error);
    process.exit(1);
  });
}
