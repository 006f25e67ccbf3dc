import 'reflect-metadata';
import { runService } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadReconcilerConfig } from './config';

const config = loadReconcilerConfig(process.env);

runService({
  serviceName: 'reconciler',
  module: () => AppModule.forRoot(config),
  port: () => ({ port: config.RECONCILER_PORT, host: config.HOST }),
});
