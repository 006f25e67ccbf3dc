import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Kafka, Producer } from 'kafkajs';
import {
  PaymentEventData,
  PublicPayment,
  TOPICS,
  createEnvelope,
  encodeEnvelope,
  paymentEventId,
  paymentEventType,
} from '@rtp/contracts';
import { requireEnv } from './platform';

/** Publishes payments.events.v1 messages as the gateway's projection does (the contract's). */
export class PaymentEventsPublisher {
  private producer: Producer | null = null;

  async start(): Promise<void> {
    const kafka = new Kafka({ brokers: requireEnv('KAFKA_BROKERS').split(','), clientId: 'test' });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
  }

  /** One status change of `payment` of `clientId`, the statusSequence-th. */
  async publish(
    clientId: string,
    payment: PublicPayment,
    statusSequence: number,
  ): Promise<{ id: string; type: string }> {
    const type = paymentEventType(payment.kind, payment.status)!;
    const id = paymentEventId(payment.id, payment.status);
    const data: PaymentEventData = {
      payment,
      clientId,
      statusSequence,
      derivedFrom: [`ledger-event:${payment.id}:${statusSequence}`],
      at: new Date().toISOString(),
    };
    const key = payment.sourceAccountId ?? payment.destinationAccountId!;
    const envelope = createEnvelope({
      id,
      type,
      source: 'gateway',
      time: new Date(),
      partitionKey: key,
      correlationId: payment.id,
      causationId: null,
      data,
    });
    await this.producer!.send({
      topic: TOPICS.paymentEvents,
      acks: -1,
      messages: [{ key, value: encodeEnvelope(envelope) }],
    });
    return { id, type };
  }
}

export function transfer(status: PublicPayment['status'], id = randomUUID()): PublicPayment {
  return {
    id,
    kind: 'transfer',
    status,
    sourceAccountId: `account-${id}`,
    destinationAccountId: 'account-destination',
    amount: '1250',
    currency: 'EUR',
    reference: 'invoice 7',
    metadata: null,
    failureCode: null,
    initiatedBy: 'account_owner',
    beneficiary: null,
    endToEndId: null,
    bankReference: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: new Date().toISOString(),
  };
}

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback that records every request and answers what `answer` says. */
export class RecordingReceiver {
  readonly received: Received[] = [];
  /** The most requests it held at once. */
  inFlightMax = 0;
  private inFlight = 0;
  private server: Server | null = null;

  constructor(
    private readonly answer: (count: number, body: string) => number = () => 204,
    private readonly holdMs = 0,
  ) {}

  async start(host = '127.0.0.1'): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ at: Date.now(), headers: request.headers, body });
        const status = this.answer(this.received.length, body);
        this.inFlight += 1;
        this.inFlightMax = Math.max(this.inFlightMax, this.inFlight);
        setTimeout(() => {
          this.inFlight -= 1;
          response.writeHead(status).end();
        }, this.holdMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    return `http://${host}:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A loopback port nothing listens on (an endpoint that is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function until(done: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
