import { DynamicModule, Module } from '@nestjs/common';
import { READINESS_CHECKS, ReadinessCheck, serviceModule } from '@rtp/shared/observability';
import { SandboxBankConfig } from './config';

/** No dependencies yet: its state will be its own, so readiness has nothing to check. */
const NO_READINESS_CHECKS: ReadinessCheck[] = [];

@Module({})
export class AppModule {
  static forRoot(config: SandboxBankConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'sandbox-bank',
      logLevel: config.LOG_LEVEL,
      providers: [{ provide: READINESS_CHECKS, useValue: NO_READINESS_CHECKS }],
    });
  }
}
