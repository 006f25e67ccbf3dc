// psql against the cluster we started: to check who answers on the port, and to create the
// platform's database.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Owner, SUPERUSER, SUPERUSER_PASSWORD, runAsOwner } from './postgres-host';

export const DATABASE_NAME = 'payments';
const ATTEMPTS_MAX = 50;
const RETRY_DELAY_MS = 200;

interface Target {
  bin: string;
  port: number;
  owner: Owner;
}

/** One value from the server; retried while it is still starting ("the database system is starting up"). */
export async function psqlQuery(target: Target, database: string, sql: string): Promise<string> {
  const env = { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD };
  const psql = existsSync(join(target.bin, 'psql')) ? join(target.bin, 'psql') : 'psql';
  const args = ['-h', '127.0.0.1', '-p', String(target.port), '-U', SUPERUSER];
  args.push('-d', database, '-tAc', sql);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return runAsOwner(psql, args, target.owner, { env }).trim();
    } catch (error) {
      if (attempt >= ATTEMPTS_MAX) throw error;
      await sleep(RETRY_DELAY_MS);
    }
  }
}

function sameDirectory(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Whoever answers on the port must be the cluster we just started, never another one. */
export async function assertServes(target: Target, clusterDir: string): Promise<void> {
  const served = await psqlQuery(target, 'postgres', 'SHOW data_directory');
  if (!sameDirectory(served, clusterDir)) {
    throw new Error(
      `port ${target.port} is served by the PostgreSQL of ${served}, not ${clusterDir}`,
    );
  }
}

export async function createDatabaseIfMissing(target: Target): Promise<void> {
  const exists = await psqlQuery(
    target,
    'postgres',
    `SELECT 1 FROM pg_database WHERE datname='${DATABASE_NAME}'`,
  );
  if (exists !== '1') await psqlQuery(target, 'postgres', `CREATE DATABASE ${DATABASE_NAME}`);
}
