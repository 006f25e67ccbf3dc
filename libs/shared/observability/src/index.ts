export * from './health.controller';
export * from './metrics.controller';
export * from './logger';
export * from './dependency-probes';
export * from './dependency-probes.providers';
export * from './run-service';
export * from './framework-errors';
export * from './service-module';
