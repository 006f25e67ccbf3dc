import { DynamicModule, ExceptionFilter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import {
  FrameworkErrorResponses,
  ShutdownAwareFastifyAdapter,
  answerWhileShuttingDown,
  frameworkErrorOptions,
} from './framework-errors';
import { observeHttpRequests } from './http-metrics';
import { initMetrics } from './metrics.controller';
import { enableTracing } from '@rtp/shared/tracing';
import { traceHttpRequests } from './tracing-http';

/** Request bodies over 64 KiB are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 65_536;
/**
 * Fastify's default (100) answers a longer path parameter with its own 414 before the route runs;
 * with more room, the route's own id validation answers (unknown ids are 404 however long).
 */
export const PATH_PARAMETER_LENGTH_MAX = 1_024;

export interface ServiceStart {
  serviceName: string;
  /** Reads and validates the configuration; a bad setting stops the process before anything starts. */
  module: () => DynamicModule;
  port: () => { port: number; host: string };
  filters?: ExceptionFilter[];
  /** Checks the served routes (e.g. against an API document); any difference stops the start. */
  checkRoutes?: (routes: { method: string; url: string }[]) => string[];
  /** Replaces the default JSON body parser (which is then not registered); gets the raw bytes. */
  parseJson?: (body: Buffer) => unknown;
  /** Replaces the bodies Node and Fastify write themselves (parser, router and shutdown errors). */
  frameworkErrors?: FrameworkErrorResponses;
}

/** The shared `main.ts` of every service: Fastify, JSON logs, metrics, graceful shutdown. */
export function runService(start: ServiceStart): void {
  const bootstrap = async () => {
    const module = start.module();
    initMetrics(start.serviceName);
    enableTracing();
    const adapter = new ShutdownAwareFastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      routerOptions: { maxParamLength: PATH_PARAMETER_LENGTH_MAX },
      ...(start.frameworkErrors ? frameworkErrorOptions(start.frameworkErrors) : {}),
    });
    if (start.frameworkErrors) {
      answerWhileShuttingDown(adapter.getInstance(), adapter, start.frameworkErrors);
    }
    observeHttpRequests(adapter.getInstance());
    traceHttpRequests(adapter.getInstance());
    const routes: { method: string; url: string }[] = [];
    adapter.getInstance().addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
    const parseJson = start.parseJson;
    if (parseJson) {
      // A JSON-only API: any other media type (Fastify also parses text/plain) answers 415.
      adapter.getInstance().removeContentTypeParser('text/plain');
      adapter
        .getInstance()
        .addContentTypeParser(
          'application/json',
          { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES },
          (_request, body, done) => {
            try {
              done(null, parseJson(body as Buffer));
            } catch (error) {
              done(Object.assign(error as Error, { statusCode: 400 }), undefined);
            }
          },
        );
    }
    const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
      bufferLogs: true,
      bodyParser: !parseJson,
    });
    app.useLogger(app.get(Logger));
    if (start.filters) app.useGlobalFilters(...start.filters);
    app.enableShutdownHooks();
    await app.init();
    const differences = start.checkRoutes?.(routes) ?? [];
    if (differences.length > 0)
      throw new Error(`routes do not match the API document:\n${differences.join('\n')}`);
    const { port, host } = start.port();
    await app.listen(port, host);
  };
  bootstrap().catch((error: unknown) => {
    console.error(`${start.serviceName} failed to start`, error);
    process.exit(1);
  });
}
