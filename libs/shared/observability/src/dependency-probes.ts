import type { Admin } from 'kafkajs';
import { Pool } from 'pg';
import { createKafka } from '@rtp/shared/kafka';
import type { ReadinessCheck } from './health.controller';

export interface DependencyProbesOptions {
  serviceName: string;
  databaseUrl: string;
  kafkaBrokers: string[];
  log: (message: string, error: unknown) => void;
}

const DATABASE_CONNECTIONS_MAX = 2;
const DATABASE_CONNECT_TIMEOUT_MS = 2_000;
const DATABASE_STATEMENT_TIMEOUT_MS = 2_000;
const DATABASE_IDLE_TIMEOUT_MS = 30_000;
const KAFKA_CONNECT_TIMEOUT_MS = 2_000;
const KAFKA_REQUEST_TIMEOUT_MS = 5_000;

/**
 * The connections that readiness needs while the service has no real work yet: a small pg pool and
 * a kafkajs admin. Boot does not wait for Kafka: the admin connects in the background and every
 * readiness check retries a failed connection, so a service started before its broker answers 503
 * until the broker is up instead of exiting.
 */
export class DependencyProbes {
  private readonly pool: Pool;
  private readonly admin: Admin;
  private adminConnection: Promise<void> | null = null;
  private adminConnectionError: string | null = null;

  constructor(options: DependencyProbesOptions) {
    this.pool = new Pool({
      connectionString: options.databaseUrl,
      max: DATABASE_CONNECTIONS_MAX,
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
      statement_timeout: DATABASE_STATEMENT_TIMEOUT_MS,
      idleTimeoutMillis: DATABASE_IDLE_TIMEOUT_MS,
      application_name: `${options.serviceName}-readiness`,
    });
    // A dropped idle connection emits 'error' on the pool; unhandled, that ends the process.
    this.pool.on('error', (error) => options.log('idle database connection failed', error));
    this.admin = createKafka({
      brokers: options.kafkaBrokers,
      clientId: `${options.serviceName}-readiness`,
      connectionTimeoutMs: KAFKA_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: KAFKA_REQUEST_TIMEOUT_MS,
    }).admin();
  }

  checks(): ReadinessCheck[] {
    return [
      { name: 'database', check: async () => void (await this.pool.query('SELECT 1')) },
      {
        name: 'kafka',
        check: async () => {
          await this.connectAdmin();
          await this.admin.describeCluster();
        },
      },
    ];
  }

  /**
   * One connection attempt at a time (kafkajs retries inside it for tens of seconds); a failed
   * attempt is forgotten so that the next check starts another. While one is under way after a
   * failure, the check reports that failure at once rather than a bare timeout.
   */
  connectAdmin(): Promise<void> {
    if (this.adminConnection && this.adminConnectionError) {
      const lastError = this.adminConnectionError;
      return Promise.reject(new Error(`connecting; last attempt failed: ${lastError}`));
    }
    this.adminConnection ??= this.admin.connect().then(
      () => {
        this.adminConnectionError = null;
      },
      (error: unknown) => {
        this.adminConnection = null;
        this.adminConnectionError = error instanceof Error ? error.message : String(error);
        throw error;
      },
    );
    return this.adminConnection;
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
    await this.pool.end();
  }
}
