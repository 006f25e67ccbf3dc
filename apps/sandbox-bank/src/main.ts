import 'reflect-metadata';
import { BankProblemFilter } from '@rtp/sandbox-bank/infrastructure';
import { runService } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadSandboxBankConfig } from './config';

const config = loadSandboxBankConfig(process.env);

runService({
  serviceName: 'sandbox-bank',
  module: () => AppModule.forRoot(config),
  port: () => ({ port: config.SANDBOX_BANK_PORT, host: config.HOST }),
  filters: [new BankProblemFilter()],
});
