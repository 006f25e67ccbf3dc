import { DynamicModule, Module } from '@nestjs/common';
import {
  HealthController,
  MetricsController,
  READINESS_CHECKS,
  ReadinessCheck,
  loggerModule,
} from '@rtp/shared/observability';
import { SandboxBankConfig } from './config';

/** No dependencies yet: its state will be its own, so readiness has nothing to check. */
const NO_READINESS_CHECKS: ReadinessCheck[] = [];

@Module({})
export class AppModule {
  static forRoot(config: SandboxBankConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [loggerModule('sandbox-bank', config.LOG_LEVEL)],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: READINESS_CHECKS, useValue: NO_READINESS_CHECKS }],
    };
  }
}
