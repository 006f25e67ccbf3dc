import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ServiceHandle, services } from '../../tools/service-processes';

export type { ServiceHandle };

export const REPO_ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 90_000;

export function requireEnv(name: 'DATABASE_URL' | 'KAFKA_BROKERS'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\``);
  return value;
}

/** A ledger and a gateway running as real processes against the test Kafka and Postgres. */
export class Platform {
  readonly adminApiKey = `rtp_test_admin_${randomBytes(24).toString('base64url')}`;
  /** The ledger's operator endpoints' bearer token (LEDGER_INTERNAL_API_KEY). */
  readonly ledgerInternalApiKey = `rtp_test_ledger_${randomBytes(24).toString('base64url')}`;
  private readonly handles = new Map<string, ServiceHandle>();
  private readonly ports = new Map<string, number>();
  private readonly logDir = process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs');

  gatewayUrl(name = 'gateway'): string {
    return `http://127.0.0.1:${this.ports.get(name)}`;
  }

  async start(
    name: 'ledger' | `ledger-${string}` | 'gateway' | `gateway-${string}`,
    extraEnv: Record<string, string> = {},
  ): Promise<ServiceHandle> {
    const app = name.startsWith('gateway') ? 'gateway' : 'ledger';
    const port = this.ports.get(name) ?? (await services.freePort());
    this.ports.set(name, port);
    const portVariable = app === 'gateway' ? 'GATEWAY_PORT' : 'LEDGER_PORT';
    const handle = services.startService({
      repoRoot: REPO_ROOT,
      app,
      logDir: this.logDir,
      env: {
        DATABASE_URL: requireEnv('DATABASE_URL'),
        KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
        ADMIN_API_KEY: this.adminApiKey,
        LEDGER_INTERNAL_API_KEY: this.ledgerInternalApiKey,
        [portVariable]: String(port),
        LOG_LEVEL: 'warn',
        // Load tests send hundreds of requests a second on one key; the limit itself has its own test.
        GATEWAY_RATE_LIMIT_PER_SECOND: '1000000',
        ...extraEnv,
      },
    });
    this.handles.set(name, handle);
    await services.waitForReady(`http://127.0.0.1:${port}/health/ready`, READY_TIMEOUT_MS, handle);
    return handle;
  }

  port(name: string): number {
    const port = this.ports.get(name);
    if (port === undefined) throw new Error(`${name} was not started`);
    return port;
  }

  handle(name: string): ServiceHandle {
    const handle = this.handles.get(name);
    if (!handle) throw new Error(`${name} was not started`);
    return handle;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.handles.values()].map((handle) => handle.stop()));
    this.handles.clear();
  }
}
