// Runs Debian's PostgreSQL server for development and tests, without Docker: a primary, or a
// streaming read replica of one. The parts: postgres-host (binaries, owner), postgres-cluster
// (initdb, pg_basebackup, settings), postgres-server (the process), postgres-client (psql),
// postgres-lock (a folder an earlier run left behind).
import { join } from 'node:path';
import { assertPortFree, waitForListening } from './ports';
import { assertServes, createDatabaseIfMissing, DATABASE_NAME } from './postgres-client';
import { ClusterPaths, cloneReplica, clusterExists, initCluster } from './postgres-cluster';
import { serverArguments } from './postgres-cluster';
import {
  SUPERUSER,
  SUPERUSER_PASSWORD,
  findPostgresBin,
  prepareDataDirectory,
} from './postgres-host';
import { serverOwner } from './postgres-host';
import { reclaimClusterDirectory } from './postgres-lock';
import { ServerExit, ServerProcess, spawnServer } from './postgres-server';

export { DATABASE_NAME } from './postgres-client';
export { findPostgresBin } from './postgres-host';

const LISTEN_TIMEOUT_MS = 60_000;

export interface PostgresOptions {
  /** Holds cluster/, postgres.log and the socket. */
  dataDir: string;
  port: number;
  /** A streaming hot standby of the primary on that port (cloned on its first start). */
  replicaOf?: { port: number } | null;
  log?: (message: string) => void;
  /** The variable that moves the port elsewhere, named when the port is taken. */
  portSetting?: string;
  /** Server settings (name -> value), e.g. the benchmarks' pg_stat_statements. */
  settings?: Record<string, string>;
}

export interface PostgresServer {
  databaseUrl: string;
  adminUrl: string;
  /** The running postmaster (a new one after `restart`). */
  readonly pid: number;
  readonly exited: Promise<ServerExit>;
  stop(): Promise<void>;
  /** Lets the server outlive this process (a benchmark's --keep): no watchdog stops it. */
  detach(): void;
  /** Like `pg_ctl restart -m fast`: fast shutdown, then the same server on the same data. */
  restart(): Promise<void>;
}

/**
 * Stops a postmaster of dataDir's own cluster left running by an earlier run and removes a stale
 * lock file (see postgres-lock), then refuses the port if anything else holds it.
 */
export async function claimPostgresPort(options: {
  dataDir: string;
  port: number;
  portSetting?: string;
  log?: (message: string) => void;
}): Promise<void> {
  await reclaimClusterDirectory(join(options.dataDir, 'cluster'), options.log ?? (() => {}));
  await assertPortFree(options.port, { what: 'PostgreSQL', setting: options.portSetting });
}

function createClusterIfMissing(paths: ClusterPaths, options: PostgresOptions): void {
  const log = options.log ?? (() => {});
  prepareDataDirectory(paths.dataDir, paths.owner);
  if (options.replicaOf && !clusterExists(paths)) {
    log(
      `cloning the primary on ${options.replicaOf.port} into a streaming replica in ${paths.clusterDir}`,
    );
    cloneReplica(paths, options.replicaOf.port);
  }
  if (!clusterExists(paths)) {
    log(`initialising PostgreSQL cluster in ${paths.clusterDir}`);
    initCluster(paths);
  }
}

/** Claims the port, starts the postmaster and resolves once it serves our cluster. */
async function launch(paths: ClusterPaths, options: PostgresOptions): Promise<ServerProcess> {
  const { port } = options;
  await claimPostgresPort(options);
  const logFile = join(paths.dataDir, 'postgres.log');
  const serverArgs = serverArguments(paths, port, options.settings ?? {});
  const server = spawnServer(join(paths.bin, 'postgres'), serverArgs, paths.owner, logFile);
  const target = { bin: paths.bin, port, owner: paths.owner };
  const ready = (async () => {
    await waitForListening(port, LISTEN_TIMEOUT_MS, 'PostgreSQL');
    await assertServes(target, paths.clusterDir);
    if (!options.replicaOf) await createDatabaseIfMissing(target);
  })();
  const died = server.exited.then(({ code, signal }) => {
    throw new Error(`postgres exited with ${code ?? signal} before it was ready; see ${logFile}`);
  });
  // Whichever loses the race below must not become an unhandled rejection later.
  ready.catch(() => {});
  died.catch(() => {});
  try {
    await Promise.race([ready, died]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Starts a cluster in dataDir on port (a new one on the first start) and waits until it serves. */
export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const log = options.log ?? (() => {});
  const { port, replicaOf } = options;
  const paths: ClusterPaths = {
    bin: findPostgresBin(),
    dataDir: options.dataDir,
    clusterDir: join(options.dataDir, 'cluster'),
    owner: serverOwner(),
  };
  createClusterIfMissing(paths, options);
  let server = await launch(paths, options);
  log(
    `PostgreSQL ${port} ready${replicaOf ? ` (replica of ${replicaOf.port})` : ''} (pid ${server.pid})`,
  );
  const credentials = `${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}`;
  return {
    databaseUrl: `postgres://${credentials}/${DATABASE_NAME}`,
    adminUrl: `postgres://${credentials}/postgres`,
    get pid() {
      return server.pid;
    },
    get exited() {
      return server.exited;
    },
    stop: () => server.stop(),
    detach: () => server.detach(),
    async restart() {
      await server.stop();
      server = await launch(paths, options);
      log(`PostgreSQL ${port} restarted (pid ${server.pid})`);
    },
  };
}
