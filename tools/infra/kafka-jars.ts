// The Kafka server jars: the official org.apache.kafka artifacts, fetched from Maven Central by
// Maven (deploy/kafka/pom.xml) into <repoRoot>/.local/kafka/libs-<version>, once per pom.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertSucceeded, runCommand } from './run-command';

const POM_RELATIVE = path.join('deploy', 'kafka', 'pom.xml');
/** Written last into a complete libs folder: what it holds and for which pom. */
const MARKER = '.complete.json';

interface Marker {
  kafkaVersion: string;
  pomSha256: string;
  jars: string[];
  createdAt: string;
}

/** kafka.version from deploy/kafka/pom.xml (single source of truth). */
export function readKafkaVersion(repoRoot: string): string {
  const pom = readFileSync(path.join(repoRoot, POM_RELATIVE), 'utf8');
  const match = pom.match(/<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/);
  if (!match) throw new Error(`${POM_RELATIVE}: no <kafka.version> property`);
  return match[1];
}

function readMarker(libsDir: string): Partial<Marker> | null {
  try {
    return JSON.parse(readFileSync(path.join(libsDir, MARKER), 'utf8')) as Partial<Marker>;
  } catch {
    return null;
  }
}

function libsComplete(libsDir: string, version: string, pomHash: string): boolean {
  const marker = readMarker(libsDir);
  if (!marker || marker.kafkaVersion !== version || marker.pomSha256 !== pomHash) return false;
  if (!Array.isArray(marker.jars) || marker.jars.length === 0) return false;
  return marker.jars.every((jar) => existsSync(path.join(libsDir, jar)));
}

/** Runs Maven into tmpDir and writes the marker there; returns the jars' file names. */
async function fetchWithMaven(options: {
  repoRoot: string;
  pomPath: string;
  tmpDir: string;
  version: string;
  pomHash: string;
}): Promise<string[]> {
  const { repoRoot, pomPath, tmpDir, version, pomHash } = options;
  const result = await runCommand(
    process.platform === 'win32' ? 'mvn.cmd' : 'mvn',
    ['-B', '-q', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`],
    { cwd: repoRoot, notFound: `'mvn' not found on PATH (needed to fetch the Kafka jars)` },
  );
  assertSucceeded('mvn dependency:copy-dependencies', result);
  const jars = readdirSync(tmpDir)
    .filter((file) => file.endsWith('.jar'))
    .sort();
  if (!jars.some((jar) => jar.startsWith('kafka_') && jar.includes(version))) {
    throw new Error(`Maven finished but no kafka_*-${version}.jar in ${tmpDir}`);
  }
  const marker: Marker = {
    kafkaVersion: version,
    pomSha256: pomHash,
    jars,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(path.join(tmpDir, MARKER), JSON.stringify(marker, null, 2) + '\n');
  return jars;
}

/** Swaps tmpDir in as libsDir, so that a half-copied folder is never mistaken for a good one. */
function installAtomically(tmpDir: string, libsDir: string, complete: () => boolean): void {
  if (existsSync(libsDir)) {
    if (complete()) {
      // Another process won the race.
      rmSync(tmpDir, { recursive: true, force: true });
      return;
    }
    rmSync(libsDir, { recursive: true, force: true });
  }
  try {
    renameSync(tmpDir, libsDir);
  } catch (error) {
    if (!complete()) throw error;
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * Makes sure the Kafka server jars are in <repoRoot>/.local/kafka/libs-<version>; runs Maven only
 * when that folder is missing or incomplete or the pom changed. Returns the folder's path.
 */
export async function ensureKafkaJars(options: {
  repoRoot: string;
  log: (message: string) => void;
}): Promise<string> {
  const repoRoot = path.resolve(options.repoRoot);
  const pomPath = path.join(repoRoot, POM_RELATIVE);
  const version = readKafkaVersion(repoRoot);
  const pomHash = createHash('sha256').update(readFileSync(pomPath)).digest('hex');
  const baseDir = path.join(repoRoot, '.local', 'kafka');
  const libsDir = path.join(baseDir, `libs-${version}`);
  const complete = () => libsComplete(libsDir, version, pomHash);
  if (complete()) return libsDir;

  mkdirSync(baseDir, { recursive: true });
  const tmpDir = path.join(baseDir, `.libs-${version}.tmp-${process.pid}-${Date.now()}`);
  options.log(`fetching Kafka ${version} jars with Maven into ${libsDir} ...`);
  const startedAt = Date.now();
  try {
    const jars = await fetchWithMaven({ repoRoot, pomPath, tmpDir, version, pomHash });
    installAtomically(tmpDir, libsDir, complete);
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    options.log(`Kafka ${version} jars ready (${jars.length} jars, ${seconds}s)`);
    return libsDir;
  } catch (error) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }
}
