// Debian's PostgreSQL on this machine: where its binaries are, and as whom they run. initdb
// refuses to run as root, so when we are root the cluster belongs to the unprivileged `postgres`
// system user that Debian's package creates.
import { SpawnSyncOptions, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The local cluster's superuser (development only; it listens on 127.0.0.1). */
export const SUPERUSER = 'rtp';
export const SUPERUSER_PASSWORD = 'rtp-local-dev';

/** The user the server runs as; null when we are not root (it runs as us). */
export type Owner = { uid: number; gid: number } | null;

export function findPostgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) {
    throw new Error(
      'PostgreSQL server not found under /usr/lib/postgresql: apt-get install postgresql',
    );
  }
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) {
    throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql');
  }
  return join(root, versions[0], 'bin');
}

export function serverOwner(): Owner {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  if (!passwd) {
    throw new Error(
      'Running as root needs the `postgres` system user (apt-get install postgresql)',
    );
  }
  const [, , uid, gid] = passwd.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Creates dataDir; as root, hands it to the owner and opens every parent for it to traverse. */
export function prepareDataDirectory(dataDir: string, owner: Owner): void {
  mkdirSync(dataDir, { recursive: true });
  if (!owner) return;
  let current = dataDir;
  while (current !== '/' && current.length > 1) {
    current = join(current, '..');
    spawnSync('chmod', ['o+x', current], { stdio: 'ignore' });
  }
  spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dataDir], { stdio: 'ignore' });
}

/** Runs a PostgreSQL program as the owner; returns its stdout or throws with its stderr. */
export function runAsOwner(
  bin: string,
  args: string[],
  owner: Owner,
  options: SpawnSyncOptions = {},
): string {
  const result = spawnSync(bin, args, {
    encoding: 'utf8',
    uid: owner?.uid,
    gid: owner?.gid,
    ...options,
  });
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
  return String(result.stdout);
}
