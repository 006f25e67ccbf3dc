import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { initMetrics } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadPartnerAdapterConfig } from './config';

async function bootstrap(): Promise<void> {
  const config = loadPartnerAdapterConfig(process.env);
  initMetrics('partner-adapter');
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: 65_536 }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.PARTNER_ADAPTER_PORT, config.HOST);
}

bootstrap().catch((error: unknown) => {
  console.error('partner-adapter failed to start', error);
  process.exit(1);
});
