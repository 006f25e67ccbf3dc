// A cluster's data folder, made once: initdb for a primary, pg_basebackup of the primary for a
// streaming hot standby; and the settings the server runs with on every start.
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Owner, SUPERUSER, SUPERUSER_PASSWORD, runAsOwner } from './postgres-host';

export interface ClusterPaths {
  /** PostgreSQL's binaries folder. */
  bin: string;
  /** Ours: the cluster folder, its log and its socket. */
  dataDir: string;
  /** The PGDATA inside dataDir. */
  clusterDir: string;
  owner: Owner;
}

/** Whether the cluster folder holds a cluster already. */
export const clusterExists = (paths: ClusterPaths): boolean =>
  existsSync(join(paths.clusterDir, 'PG_VERSION'));

/** A streaming replica of the primary on primaryPort (pg_basebackup -R writes its settings). */
export function cloneReplica(paths: ClusterPaths, primaryPort: number): void {
  runAsOwner(
    join(paths.bin, 'pg_basebackup'),
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      SUPERUSER,
      '-D',
      paths.clusterDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ],
    paths.owner,
    { env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD } },
  );
}

/** A new primary cluster whose superuser logs in with a password, locally and over TCP. */
export function initCluster(paths: ClusterPaths): void {
  const passwordFile = join(paths.dataDir, 'pwfile');
  writeFileSync(passwordFile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
  if (paths.owner) chownSync(passwordFile, paths.owner.uid, paths.owner.gid);
  runAsOwner(
    join(paths.bin, 'initdb'),
    [
      '-D',
      paths.clusterDir,
      '-U',
      SUPERUSER,
      `--pwfile=${passwordFile}`,
      '--auth-local=scram-sha-256',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ],
    paths.owner,
  );
}

/** The postgres command line; `settings` adds server settings (name -> value). */
export function serverArguments(
  paths: ClusterPaths,
  port: number,
  settings: Record<string, string>,
): string[] {
  const fixed: Record<string, string> = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: paths.dataDir,
    max_connections: '200',
    shared_buffers: '256MB',
    // fsync stays on: the platform's durability promise is measured with it.
    synchronous_commit: 'on',
    fsync: 'on',
    wal_level: 'logical',
    logging_collector: 'off',
    hot_standby: 'on',
  };
  return [
    '-D',
    paths.clusterDir,
    ...Object.entries(fixed).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
}
