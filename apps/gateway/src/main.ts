import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ProblemFilter } from '@rtp/gateway/infrastructure';
import { initMetrics } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config';

/** Bodies over 64 KiB are refused with 413 before they are parsed. */
const BODY_LIMIT_BYTES = 65_536;

async function bootstrap(): Promise<void> {
  const config = loadGatewayConfig(process.env);
  initMetrics('gateway');
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  await app.listen(config.GATEWAY_PORT, config.HOST);
}

bootstrap().catch((error: unknown) => {
  console.error('gateway failed to start', error);
  process.exit(1);
});
