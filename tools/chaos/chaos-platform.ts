import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PostgresServer } from '../infra/postgres';
import { RestartableKafka, StartedInfrastructure, startInfrastructure } from '../infra/index';
import { ServiceHandle, Supervisor, services, supervision } from '../service-processes';

export type ServiceName = 'ledger' | 'gateway';

/** A service process that ended, and whether the harness caused it. */
export interface ServiceExitRecord {
  service: ServiceName;
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  atMs: number;
  planned: boolean;
}

/** Chaos starts both servers itself (it stops, restarts and kills them). */
type OwnInfrastructure = StartedInfrastructure & {
  postgres: PostgresServer;
  kafka: RestartableKafka;
};

const READY_TIMEOUT_MS = 180_000;
const READY_PROBE_TIMEOUT_MS = 2_000;

/**
 * PostgreSQL and Kafka of our own (tools/infra), a ledger and a gateway each under the supervisor
 * `npm start` uses, so that a killed service comes back by itself.
 */
export class ChaosPlatform {
  readonly adminApiKey = `rtp_chaos_admin_${randomBytes(24).toString('base64url')}`;
  readonly exits: ServiceExitRecord[] = [];
  readonly logDir: string;
  private infrastructure: OwnInfrastructure | null = null;
  private readonly supervisors = new Map<ServiceName, Supervisor>();
  private readonly ports = new Map<ServiceName, number>();
  private readonly plannedKills = new Set<number>();

  constructor(
    private readonly repoRoot: string,
    readonly dataDir: string,
    private readonly log: (message: string) => void,
    private readonly clock: () => number,
  ) {
    this.logDir = join(dataDir, 'logs');
  }

  get infra(): OwnInfrastructure {
    if (!this.infrastructure) throw new Error('the infrastructure is not started');
    return this.infrastructure;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.get('gateway')}`;
  }

  logFile(service: ServiceName | 'kafka' | 'postgres'): string {
    if (service === 'kafka') return join(this.dataDir, 'infra', 'kafka', 'kafka.log');
    if (service === 'postgres') return join(this.dataDir, 'infra', 'postgres', 'postgres.log');
    return join(this.logDir, `${service}.log`);
  }

  async start(): Promise<void> {
    const started = await startInfrastructure({
      repoRoot: this.repoRoot,
      dataDir: join(this.dataDir, 'infra'),
      env: {},
      ports: {},
      log: (message) => this.log(`[infra] ${message}`),
    });
    const { postgres, kafka } = started;
    if (!postgres || !kafka) throw new Error('chaos needs its own PostgreSQL and Kafka');
    this.infrastructure = { ...started, postgres, kafka };
    // The ledger first: it creates the topics and its schema.
    await this.startService('ledger', 'LEDGER_PORT');
    await this.startService('gateway', 'GATEWAY_PORT');
  }

  private async startService(service: ServiceName, portVariable: string): Promise<void> {
    const port = await services.freePort();
    this.ports.set(service, port);
    const env = {
      DATABASE_URL: this.infra.databaseUrl,
      KAFKA_BROKERS: this.infra.kafkaBrokers,
      ADMIN_API_KEY: this.adminApiKey,
      [portVariable]: String(port),
      LOG_LEVEL: 'info',
      GATEWAY_RATE_LIMIT_PER_SECOND: '100000',
    };
    const starts: ServiceHandle[] = [];
    const supervisor = supervision.supervise({
      name: service,
      log: (message) => this.log(`[supervisor] ${message}`),
      start: () =>
        services.startService({ repoRoot: this.repoRoot, app: service, logDir: this.logDir, env }),
      onStart: (handle) => starts.push(handle),
      onExit: (exit) => {
        const planned = exit.pid !== undefined && this.plannedKills.delete(exit.pid);
        this.exits.push({
          service,
          pid: exit.pid,
          code: exit.code,
          signal: exit.signal,
          atMs: this.clock(),
          planned,
        });
      },
    });
    this.supervisors.set(service, supervisor);
    const url = `http://127.0.0.1:${port}/health/ready`;
    await services.waitForReady(url, READY_TIMEOUT_MS, starts[0]);
    this.log(`${service} ready on port ${port} (pid ${starts[0].child.pid})`);
  }

  /** SIGKILL of the running process; its supervisor starts another. */
  kill(service: ServiceName): number {
    const pid = this.supervisors.get(service)?.current?.child.pid;
    if (pid === undefined) throw new Error(`${service} is not running (between restarts)`);
    this.plannedKills.add(pid);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Which of the two services answer /health/ready with 200 right now, and what the others say. */
  async readiness(): Promise<Record<ServiceName, string>> {
    const entries = await Promise.all(
      [...this.ports].map(async ([service, port]) => {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
            signal: AbortSignal.timeout(READY_PROBE_TIMEOUT_MS),
          });
          const body = response.ok ? '' : ` ${(await response.text()).slice(0, 200)}`;
          return [service, response.ok ? 'ready' : `${response.status}${body}`];
        } catch (error) {
          return [service, error instanceof Error ? error.message : String(error)];
        }
      }),
    );
    return Object.fromEntries(entries) as Record<ServiceName, string>;
  }

  restarts(service: ServiceName): number {
    return this.supervisors.get(service)?.restarts ?? 0;
  }

  async stopServices(graceMs?: number): Promise<void> {
    await Promise.all([...this.supervisors.values()].map((supervisor) => supervisor.stop(graceMs)));
  }

  /** Services first (no restart from now on), then Kafka and PostgreSQL. */
  async stop(graceMs?: number): Promise<void> {
    await this.stopServices(graceMs);
    await this.infrastructure?.stop();
    this.infrastructure = null;
  }
}
