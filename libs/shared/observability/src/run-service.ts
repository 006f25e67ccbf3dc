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
  /** Checks the served routes (e.g. against an API document); any difference stops the start. */
  checkRoutes?: (routes: { method: string; url: string }[]) => string[];
  /** Replaces the default JSON body parser (which is then not registered). */
  parseJson?: (body: string) => unknown;
}

/** The shared `main.ts` of every service: Fastify, JSON logs, metrics, graceful shutdown. */
export function runService(start: ServiceStart): void {
  const bootstrap = async () => {
    const module = start.module();
    initMetrics(start.serviceName);
    const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
    const routes: { method: string; url: string }[] = [];
    adapter.getInstance().addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
    const parseJson = start.parseJson;
    if (parseJson) {
      adapter.getInstance().addContentTypeParser('application/json',
        { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
          try {
            done(null, parseJson(body as string));
          } catch (error) {
            done(Object.assign(error as Error, { statusCode: 400 }), undefined);
          }
        });
    }
    const app = await NestFactory.create<NestFastifyApplication>(module, adapter,
      { bufferLogs: true, bodyParser: !parseJson });
    app.useLogger(app.get(Logger));
    if (start.filters) app.useGlobalFilters(...start.filters);
    app.enableShutdownHooks();
    await app.init();
    const differences = start.checkRoutes?.(routes) ?? [];
    if (differences.length > 0) throw new Error(`routes do not match the API document:\n${differences.join('\n')}`);
    const { port, host } = start.port();
    await app.listen(port, host);
  };
  bootstrap().catch((error: unknown) => {
    console.error(`${start.serviceName} failed to start`, error);
    process.exit(1);
  });
}
