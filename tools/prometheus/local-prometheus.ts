// Debian's Prometheus (/usr/bin/prometheus) as a child process: scraping every service with the
// rules of deploy/prometheus, its data and configuration in a folder of the caller's (.local for
// `npm start`, a temporary one for tests). Stopped with SIGTERM, which flushes its head block.
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PrometheusConfigOptions, prometheusConfig } from './prometheus-config';

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

export interface LocalPrometheus {
  url: string;
  configFile: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface LocalPrometheusOptions extends PrometheusConfigOptions {
  /** Where its configuration, data (`data/`) and log go. */
  dir: string;
  port: number;
  /** The binary; Debian's package puts it in /usr/bin. */
  command?: string;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitForReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited early; see ${logFile}`);
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(200);
  }
  throw new Error(`prometheus was not ready within ${READY_TIMEOUT_MS} ms; see ${logFile}`);
}

export async function startLocalPrometheus(
  options: LocalPrometheusOptions,
): Promise<LocalPrometheus> {
  mkdirSync(join(options.dir, 'data'), { recursive: true });
  const configFile = join(options.dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(options));
  const logFile = join(options.dir, 'prometheus.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(
    options.command ?? '/usr/bin/prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--storage.tsdb.retention.time=15d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const spawnFailure = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(new Error(`prometheus: ${error.message}`))),
  );
  await Promise.race([waitForReady(url, child, logFile), spawnFailure]);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited(child);
    clearTimeout(timer);
  };
  return { url, configFile, logFile, stop };
}
