import { DataSource } from 'typeorm';
import { AcceptResult, PaymentAcceptRequest, PaymentAcceptance } from '@rtp/gateway/application';
import { isPermanentFailure } from '@rtp/shared/kafka';
import { traceparentOf } from '@rtp/shared/tracing';
import { CommittedPublisher } from '../committed-publisher';
import { withinFlushWait } from '../outbox-relay';
import { acceptGroup } from './accept-group';
import { RequestWindow, RequestWindowFull, Settled } from './request-window';

export interface GroupAcceptorOptions {
  /** GATEWAY_ACCEPT_WINDOW_MS: how long the first request of a group waits for others. */
  windowMs: number;
  /** GATEWAY_ACCEPT_GROUP_SIZE_MAX: requests per transaction. */
  requestsMax: number;
  /** GATEWAY_ACCEPT_GROUPS_IN_FLIGHT_MAX: accepting transactions open at the same time. */
  groupsInFlightMax: number;
}

/** Requests that may wait for a slot, in full groups; beyond them a request answers 503. */
const QUEUED_GROUPS_MAX = 8;

interface Accepted {
  result: AcceptResult;
  /** Settles when the group's commands are confirmed published, or FLUSH_WAIT_MS_MAX passed. */
  published: Promise<void>;
}

/**
 * Accepts payments in groups: the requests of one window share one transaction (keys, payments,
 * outbox commands, in a handful of multi-row statements), and the group's commands are published
 * together right after its commit. Each request is answered on its own; only a failure of the
 * transaction itself answers the whole group with the same error (a 503 for the caller). When too
 * many requests wait already, a request is answered `unavailable` without waiting.
 */
export class GroupPaymentAcceptor implements PaymentAcceptance {
  private readonly window: RequestWindow<PaymentAcceptRequest, Accepted>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: CommittedPublisher,
    options: GroupAcceptorOptions,
    /** A debug line per accepted payment, written in the request's trace. */
    private readonly logAccepted: (detail: Record<string, unknown>) => void = () => undefined,
  ) {
    this.window = new RequestWindow((group) => this.run(group), {
      ...options,
      queuedMax: options.requestsMax * QUEUED_GROUPS_MAX,
    });
  }

  async acceptPayment(request: PaymentAcceptRequest): Promise<AcceptResult> {
    let accepted: Accepted;
    try {
      accepted = await this.window.submit(traced(request));
    } catch (error) {
      if (error instanceof RequestWindowFull) {
        return { claimed: false, inFlight: false, unavailable: true };
      }
      throw error;
    }
    await accepted.published;
    if (accepted.result.claimed) {
      this.logAccepted({ paymentId: request.payment.id, commandId: request.command.messageId });
    }
    return accepted.result;
  }

  private async run(group: readonly PaymentAcceptRequest[]): Promise<Settled<Accepted>[]> {
    try {
      return await this.commit(group);
    } catch (error) {
      if (group.length === 1 || !isPermanentFailure(error)) throw error;
      // A row the database refuses (a data or integrity error) fails the statement for the whole
      // group; alone, each request fails only for what is wrong with its own row.
      const settled: Settled<Accepted>[] = [];
      for (const request of group) {
        settled.push(
          ...(await this.commit([request]).catch((alone: unknown) => [
            { ok: false as const, error: alone },
          ])),
        );
      }
      return settled;
    }
  }

  private async commit(group: readonly PaymentAcceptRequest[]): Promise<Settled<Accepted>[]> {
    const marks = this.publisher.takeMarks();
    let accepted: Awaited<ReturnType<typeof acceptGroup>>;
    try {
      // The server's default READ COMMITTED, which acceptGroup relies on (each statement sees what
      // committed before it): without a level named, TypeORM begins in one statement, not two.
      accepted = await this.dataSource.transaction((manager) => acceptGroup(manager, group, marks));
    } catch (error) {
      this.publisher.returnMarks(marks);
      throw error;
    }
    const published = withinFlushWait(this.publisher.publish(accepted.committed));
    return accepted.results.map((result) => ({ ok: true, value: { result, published } }));
  }
}

/**
 * The request's command carrying the request's trace context (CloudEvents' traceparent): taken
 * here, in the request's own context, since the group's transaction runs in none of its requests'.
 * It is stored with the outbox row, so the sweep after a crash publishes it with the same trace.
 */
function traced(request: PaymentAcceptRequest): PaymentAcceptRequest {
  const traceparent = traceparentOf();
  if (!traceparent) return request;
  const payload = { ...request.command.payload, traceparent };
  return { ...request, command: { ...request.command, payload } };
}
