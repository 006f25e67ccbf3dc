import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FaultControl } from '../fault-control';
import { refuse } from './bank-problems';

/** Thrown after the connection was destroyed on purpose: there is no one left to answer. */
export class ConnectionDropped extends Error {}

function waitUntilClosedOr(request: FastifyRequest, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    request.raw.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Runs a /v1 request through the injected faults: the delay, then either a 503 (nothing
 * applied), a hang (nothing applied, the socket closed after `hangMs` unless the caller gave up
 * first), or the request applied and the connection destroyed before the answer (the ambiguous
 * outcome). `applies` says whether the request changes anything (only those are dropped).
 */
export async function withFaults<T>(
  faults: FaultControl,
  request: FastifyRequest,
  reply: FastifyReply,
  applies: boolean,
  work: () => Promise<T>,
): Promise<T> {
  const fault = faults.nextRequestFault(applies);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.outcome === 'error') {
    return refuse({
      status: 503,
      code: 'injected_unavailable',
      title: 'Service unavailable',
      detail: 'The bank is unavailable (an injected fault); nothing was applied.',
    });
  }
  if (fault.outcome === 'hang') {
    await waitUntilClosedOr(request, faults.current().hangMs);
    reply.raw.socket?.destroy();
    throw new ConnectionDropped('hung up (an injected fault)');
  }
  const result = await work();
  if (fault.outcome === 'drop_after_apply') {
    reply.raw.socket?.destroy();
    throw new ConnectionDropped('applied, then dropped (an injected fault)');
  }
  return result;
}
