import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TOPICS } from '@rtp/contracts';
import { AsyncApiMessages } from '../support/asyncapi-messages';
import { usePayoutFlow } from '../support/payout-flow';
import { REPO_ROOT } from '../support/platform';
import { CLOSED_ACCOUNT_IBAN, CREDITOR_IBAN } from '../support/sandbox-bank';
import { RecordedMessage, TopicRecorder } from '../support/topic-recorder';

// payments.events.v1 end to end: real ledger, gateway, partner adapter and sandbox bank, the
// ledger and then the gateway killed with SIGKILL while payments and payouts are under way.
jest.setTimeout(300_000);

const GATEWAY_ENV = { PARTNER_ID: 'sandbox', LOG_LEVEL: 'info' };
const TRANSFER_PATH = ['PaymentProcessing', 'PaymentCompleted'];
const PAYOUT_PATH = ['PayoutProcessing', 'PayoutPending'];

describe('payments.events.v1 across a ledger SIGKILL and a gateway SIGKILL', () => {
  const flow = usePayoutFlow();
  const recorder = new TopicRecorder([TOPICS.paymentEvents, TOPICS.ledgerEvents]);
  const document = new AsyncApiMessages(
    parse(readFileSync(join(REPO_ROOT, 'docs', 'asyncapi.yaml'), 'utf8')),
  );

  beforeAll(() => recorder.start());
  afterAll(() => recorder.stop());

  const transfer = async (source: string, destination: string, amount: string) => {
    const answer = await flow.client.post<{ id: string }>(
      '/v1/payments',
      { sourceAccountId: source, destinationAccountId: destination, amount, currency: 'EUR' },
      { 'idempotency-key': randomUUID(), prefer: 'respond-async' },
    );
    expect([201, 202]).toContain(answer.status);
    return answer.body.id;
  };
  const paymentStatus = async (id: string) =>
    (await flow.client.get<{ status: string }>(`/v1/payments/${id}`)).body.status;
  const eventsOf = (paymentId: string) =>
    recorder.messages.filter(
      (m) =>
        m.topic === TOPICS.paymentEvents &&
        (m.envelope.data as { payment?: { id?: string } }).payment?.id === paymentId,
    );
  /** A payment's messages once each (by id, in the order first read), checking any copy. */
  const distinct = (messages: RecordedMessage[]) => {
    const first = new Map<string, RecordedMessage>();
    for (const message of messages) {
      const seen = first.get(message.envelope.id);
      // A copy (a publication repeated after a crash) is the same message, byte for byte.
      if (seen) expect(message.raw).toBe(seen.raw);
      else first.set(message.envelope.id, message);
    }
    return [...first.values()];
  };

  it('publishes every status change once, in order, keyed by the account, per the document', async () => {
    const payer = await flow.openAccount('1000000');
    const payee = await flow.openAccount();
    const transfers: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      transfers.push(await transfer(payer.id, payee.id, '100'));
      if (index === 2) await flow.platform.handle('ledger').kill('SIGKILL');
    }
    await flow.platform.start('ledger', { LOG_LEVEL: 'info' });
    const refused = await transfer(payer.id, payee.id, '999999999');
    const payouts = [
      (await flow.payout(payer.id, '2500', CREDITOR_IBAN)).body.id,
      (await flow.payout(payer.id, '1500', CLOSED_ACCOUNT_IBAN)).body.id,
    ];
    transfers.push(await transfer(payer.id, payee.id, '100'));
    // The gateway dies with the payouts at the bank and a transfer in flight; its projection
    // catches up after the restart.
    await flow.platform.handle('gateway').kill('SIGKILL');
    await flow.platform.start('gateway', GATEWAY_ENV);

    for (const id of transfers) {
      await flow.until(
        `transfer ${id} completed`,
        async () => (await paymentStatus(id)) === 'completed',
      );
    }
    await flow.until(
      'the refused transfer',
      async () => (await paymentStatus(refused)) === 'rejected',
    );
    await flow.waitForPayout(payouts[0], 'completed');
    await flow.waitForPayout(payouts[1], 'failed');

    const expected = new Map<string, string[]>([
      ...transfers.map((id) => [id, TRANSFER_PATH] as [string, string[]]),
      [refused, ['PaymentRejected']],
      [payouts[0], [...PAYOUT_PATH, 'PayoutCompleted']],
      [payouts[1], [...PAYOUT_PATH, 'PayoutFailed']],
    ]);
    const types = (id: string) => distinct(eventsOf(id)).map((m) => m.envelope.type);
    await flow.until('every payment event on the topic', async () =>
      [...expected].every(([id, path]) => types(id).length >= path.length),
    );
    const funding = recorder.messages.filter(
      (m) =>
        m.topic === TOPICS.paymentEvents &&
        m.key === payer.id &&
        m.envelope.type === 'DepositCompleted',
    );
    expect(distinct(funding)).toHaveLength(1);

    for (const [id, path] of expected) {
      const messages = distinct(eventsOf(id));
      expect([id, messages.map((m) => m.envelope.type)]).toEqual([id, path]);
      const sequences = messages.map(
        (m) => (m.envelope.data as { statusSequence: number }).statusSequence,
      );
      expect(sequences).toEqual(path.map((_, index) => index + 1));
      for (const message of messages) {
        expect(message.key).toBe(payer.id);
        expect(message.envelope.id).toBe(
          `payment-event:${id}:${(message.envelope.data as { payment: { status: string } }).payment.status}`,
        );
        expect(document.problems(TOPICS.paymentEvents, message.envelope)).toBeNull();
      }
      // On one partition, the order read is the status order.
      expect(new Set(messages.map((m) => m.partition)).size).toBe(1);
    }
    expect(distinct(eventsOf(payouts[1])).pop()?.envelope.data).toMatchObject({
      payment: { failureCode: 'bank_rejected_ac04', kind: 'payout' },
    });
  });

  it("publishes ledger.events.v1 messages that fit the document's schemas", () => {
    const ledger = recorder.messages.filter((m) => m.topic === TOPICS.ledgerEvents);
    expect(ledger.length).toBeGreaterThan(10);
    const problems = ledger
      .map((m) => [m.envelope.type, document.problems(TOPICS.ledgerEvents, m.envelope)])
      .filter(([, problem]) => problem !== null);
    expect(problems).toEqual([]);
  });
});
