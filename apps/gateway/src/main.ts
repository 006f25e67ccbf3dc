import 'reflect-metadata';
import {
  ProblemFilter,
  gatewayFrameworkErrors,
  parseJsonBody,
  undocumentedRoutes,
} from '@rtp/gateway/infrastructure';
import { runService } from '@rtp/shared/observability';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config';

const config = loadGatewayConfig(process.env);

runService({
  serviceName: 'gateway',
  module: () => AppModule.forRoot(config),
  port: () => ({ port: config.GATEWAY_PORT, host: config.HOST }),
  filters: [new ProblemFilter()],
  checkRoutes: undocumentedRoutes,
  parseJson: parseJsonBody,
  frameworkErrors: gatewayFrameworkErrors,
});
