// Typed access to tools/services.cjs (CommonJS, so that the ESM tools and the CommonJS tests share it).

export interface ServiceHandle {
  app: string;
  child: { pid?: number; exitCode: number | null; signalCode: string | null; kill(signal: string): boolean };
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(graceMs?: number): Promise<void>;
  kill(signal?: string): Promise<{ code: number | null; signal: string | null }>;
}

export const services = require('./services.cjs') as {
  startService(options: { repoRoot: string; app: string; env: Record<string, string>; logDir: string }): ServiceHandle;
  waitForReady(url: string, timeoutMs: number, service?: ServiceHandle): Promise<void>;
  freePort(): Promise<number>;
};
