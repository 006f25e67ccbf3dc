// The service runner (tools/services.ts) and its supervisor (tools/supervisor.ts) under the two
// names the benchmarks, chaos and the tests use: `services` and `supervision`.
export * as services from './services';
export * as supervision from './supervisor';
export type { ServiceExitStatus, ServiceHandle } from './services';
export type { BackoffPolicy, ServiceExit, Supervisor } from './supervisor';
