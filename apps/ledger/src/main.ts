import 'reflect-metadata';
import { runService } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadLedgerConfig } from './config';

const config = loadLedgerConfig(process.env);

runService({
  serviceName: 'ledger',
  module: () => AppModule.forRoot(config),
  port: () => ({ port: config.LEDGER_PORT, host: config.HOST }),
});
