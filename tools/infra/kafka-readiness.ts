// When the broker is ready: its port answers kafkajs's admin client (ApiVersions, then Metadata
// for no topics through describeCluster) with our cluster id, our node and an elected controller.
import { Kafka, logLevel } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrokerProcess } from './kafka-process';
import { tailFile } from './run-command';

const PROBE_TIMEOUT_MS = 3_000;
const PROBE_INTERVAL_MS = 200;
/** node.id in server.properties. */
const NODE_ID = 1;

export interface ClusterDescription {
  clusterId: string;
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  /** null while no controller is elected. */
  controller: number | null;
}

/** One connection, one describeCluster, no retries: the caller's loop is the retry. */
export async function describeBroker(port: number): Promise<ClusterDescription> {
  const kafka = new Kafka({
    clientId: 'rtp-infra-probe',
    brokers: [`127.0.0.1:${port}`],
    connectionTimeout: PROBE_TIMEOUT_MS,
    requestTimeout: PROBE_TIMEOUT_MS,
    retry: { retries: 0 },
    // A refused connection while the JVM starts is expected; the loop reports the last one.
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Why the description is not yet a ready broker of this cluster, or null when it is. */
export function notReadyReason(
  description: ClusterDescription,
  port: number,
  clusterId: string,
): { reason: string; foreign: boolean } | null {
  if (description.clusterId !== clusterId) {
    // Something else (an older broker on a reused port?) is answering: never report it as ours.
    const reason = `port ${port} answered with cluster id ${description.clusterId}, expected ${clusterId}`;
    return { reason, foreign: true };
  }
  if (
    description.brokers.some((broker) => broker.nodeId === NODE_ID) &&
    description.controller !== null
  ) {
    return null;
  }
  const reason =
    `metadata not ready (brokers=${description.brokers.length}, ` +
    `controller=${description.controller ?? -1})`;
  return { reason, foreign: false };
}

async function failWithLog(message: string, logFile: string): Promise<never> {
  throw new Error(`${message}. Tail of ${logFile}:\n${await tailFile(logFile)}`);
}

/**
 * Probes every 200 ms until the broker is ready. Throws (having stopped the broker) when it
 * dies, when the deadline passes, or when another cluster answers on the port.
 */
export async function waitUntilReady(options: {
  broker: BrokerProcess;
  port: number;
  clusterId: string;
  logFile: string;
  timeoutMs: number;
}): Promise<void> {
  const { broker, port, clusterId, logFile, timeoutMs } = options;
  const deadline = Date.now() + timeoutMs;
  let lastProbe = 'not started';
  for (;;) {
    const exit = broker.exit();
    if (exit) {
      broker.release();
      const why = exit.error ? exit.error.message : `exit code ${exit.code ?? exit.signal}`;
      return failWithLog(`Kafka broker died during startup (${why})`, logFile);
    }
    if (Date.now() > deadline) {
      await broker.stop();
      const seconds = timeoutMs / 1000;
      return failWithLog(
        `Kafka broker not ready after ${seconds}s (last probe: ${lastProbe})`,
        logFile,
      );
    }
    let description: ClusterDescription | null = null;
    try {
      description = await describeBroker(port);
    } catch (error) {
      if (broker.stopping()) throw error;
      lastProbe = (error as Error).message;
    }
    const notReady = description && notReadyReason(description, port, clusterId);
    if (description && !notReady) return;
    if (notReady?.foreign) {
      await broker.stop();
      throw new Error(notReady.reason);
    }
    if (notReady) lastProbe = notReady.reason;
    await sleep(PROBE_INTERVAL_MS);
  }
}
