import { randomUUID } from 'node:crypto';
import { KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import {
  LedgerEvent,
  PartnerEvent,
  TOPICS,
  createEnvelope,
  encodeEnvelope,
  parsePaymentEvent,
} from '@rtp/contracts';
import { partitionBatch } from '@rtp/shared/kafka';
import { completed, debited, paymentId } from '../support/gateway-projection-events';
import { useProjectionHarness } from '../support/gateway-projection';

jest.setTimeout(60_000);

const balance = { postedMinor: '0', pendingMinor: '0', availableMinor: '0' };
const payout = (id: string) => ({
  paymentId: id,
  accountId: 'acc-payer',
  amountMinor: '1250',
  currency: 'EUR',
  partnerId: 'sandbox',
});
const reserved = (id: string): LedgerEvent => ({
  type: 'PayoutReserved',
  data: {
    ...payout(id),
    initiatedBy: 'acme',
    reference: null,
    beneficiary: { iban: 'DE89370400440532013000', name: 'Grace Hopper' },
    endToEndId: `e2e-${id}`,
    balance,
    accountSequence: 2,
  },
});
const settled = (id: string): LedgerEvent => ({
  type: 'PayoutSettled',
  data: {
    ...payout(id),
    partnerReference: 'bank-1',
    resolvedBy: null,
    balance,
    accountSequence: 3,
  },
});
const returned = (id: string): LedgerEvent => ({
  type: 'PayoutReturned',
  data: {
    ...payout(id),
    partnerReference: 'bank-1',
    reasonCode: 'bank_returned_ac04',
    balance,
    accountSequence: 4,
  },
});
const submitted = (id: string): PartnerEvent => ({
  type: 'PayoutSubmitted',
  data: {
    paymentId: id,
    accountId: 'acc-payer',
    partnerId: 'sandbox',
    attempt: 1,
    at: new Date().toISOString(),
  },
});

interface OutboxRow {
  outbox_id: string;
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  payload: { id: string; type: string; data: unknown };
}

describe('payments.events.v1 from the gateway projection', () => {
  const harness = useProjectionHarness();
  const partnerOffsets = new Map<number, bigint>();

  beforeAll(async () => {
    for (const partition of [0, 1]) await harness.worker.acquire(TOPICS.partnerEvents, partition);
  });

  /** The partner adapter's events as the next batch of their partition. */
  const projectPartner = async (partition: number, events: PartnerEvent[]) => {
    const fromOffset = partnerOffsets.get(partition) ?? 0n;
    partnerOffsets.set(partition, fromOffset + BigInt(events.length));
    const messages = events.map((event, index) => {
      const envelope = createEnvelope({
        id: randomUUID(),
        type: event.type,
        source: 'partner-adapter',
        time: new Date(),
        partitionKey: event.data.accountId,
        correlationId: 'correlation',
        causationId: null,
        data: event.data,
      });
      return {
        key: null,
        timestamp: '0',
        attributes: 0,
        headers: {},
        offset: String(fromOffset + BigInt(index)),
        value: encodeEnvelope(envelope),
      } as KafkaMessage;
    });
    await harness.worker.processMany([
      partitionBatch(TOPICS.partnerEvents, partition, messages, fromOffset),
    ]);
  };

  /** The outbox's payments.events.v1 rows of one payment, in the order the relay publishes. */
  const messagesOf = async (id: string) =>
    (await harness.dataSource.query(
      `SELECT * FROM gateway.outbox WHERE topic = $1 AND payload->'data'->'payment'->>'id' = $2
       ORDER BY outbox_id`,
      [TOPICS.paymentEvents, id],
    )) as OutboxRow[];
  const summary = (rows: OutboxRow[]) =>
    rows.map((row) => {
      const parsed = parsePaymentEvent(row.message_type, row.payload.data);
      if (!parsed) throw new Error(`${row.message_id} does not parse with its contract`);
      return [row.message_type, parsed.data.statusSequence, row.message_key];
    });

  it('publishes a transfer debited then completed once per status, in order', async () => {
    const id = paymentId(1);
    await harness.project([0, [debited(1, 'acc-a', 'acc-b')]]);
    await harness.project([1, [completed(1, 'acc-a', 'acc-b')]]);
    // Both events delivered again: nothing more.
    await harness.project(
      [0, [debited(1, 'acc-a', 'acc-b')]],
      [1, [completed(1, 'acc-a', 'acc-b')]],
    );
    const rows = await messagesOf(id);
    expect(summary(rows)).toEqual([
      ['PaymentProcessing', 1, 'acc-a'],
      ['PaymentCompleted', 2, 'acc-a'],
    ]);
    expect(rows.map((row) => row.message_id)).toEqual([
      `payment-event:${id}:processing`,
      `payment-event:${id}:completed`,
    ]);
  });

  it('publishes both statuses in order when the credit leg is projected before the debit', async () => {
    const id = paymentId(2);
    await harness.project([1, [completed(2, 'acc-a', 'acc-b')]]);
    expect(await messagesOf(id)).toEqual([]);
    await harness.project([0, [debited(2, 'acc-a', 'acc-b')]]);
    expect(summary(await messagesOf(id))).toEqual([
      ['PaymentProcessing', 1, 'acc-a'],
      ['PaymentCompleted', 2, 'acc-a'],
    ]);
  });

  it('publishes a payout path from two topics in any order, and a late event adds nothing', async () => {
    await harness.project([0, [reserved('po-1')]]);
    await projectPartner(0, [submitted('po-1')]);
    await harness.project([0, [settled('po-1')]]);
    await harness.project([0, [returned('po-1')]]);
    // The other payout: settled before its submission is projected, the submission late.
    await harness.project([0, [reserved('po-2'), settled('po-2')]]);
    await projectPartner(1, [submitted('po-2')]);
    const expected = (kinds: string[]) =>
      kinds.map((type, index) => [type, index + 1, 'acc-payer']);
    expect(summary(await messagesOf('po-1'))).toEqual(
      expected(['PayoutProcessing', 'PayoutPending', 'PayoutCompleted', 'PayoutReturned']),
    );
    expect(summary(await messagesOf('po-2'))).toEqual(
      expected(['PayoutProcessing', 'PayoutPending', 'PayoutCompleted']),
    );
  });

  it('publishes nothing again when the read models are rebuilt from the same events', async () => {
    const before = (await harness.dataSource.query(
      'SELECT count(*)::int AS n FROM gateway.outbox',
    )) as { n: number }[];
    // As tools/rebuild does: the read models emptied by the owner, the events replayed.
    const owner = new Client({ connectionString: harness.databaseUrl });
    await owner.connect();
    for (const table of ['payments', 'payment_status_history', 'account_entries', 'accounts'])
      await owner.query(`DELETE FROM gateway.${table}`);
    await owner.end();
    await harness.project([0, [debited(1, 'acc-a', 'acc-b'), reserved('po-1')]]);
    await harness.project([1, [completed(1, 'acc-a', 'acc-b')]]);
    await harness.project([0, [settled('po-1'), returned('po-1')]]);
    await projectPartner(0, [submitted('po-1')]);
    const after = (await harness.dataSource.query(
      'SELECT count(*)::int AS n FROM gateway.outbox',
    )) as { n: number }[];
    expect(after[0].n).toBe(before[0].n);
    const status = (await harness.dataSource.query(
      `SELECT status FROM gateway.payments WHERE payment_id = 'po-1'`,
    )) as { status: string }[];
    expect(status).toEqual([{ status: 'returned' }]);
  });
});
