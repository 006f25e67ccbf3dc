import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Producer } from 'kafkajs';
import { Client } from 'pg';
import { isValidIBAN } from 'ibantools';
import {
  TOPICS,
  commandIds,
  createEnvelope,
  encodeEnvelope,
  payoutEndToEndId,
} from '@rtp/contracts';
import { LedgerCommands, connectProducer } from '../support/ledger-commands';
import { usePaymentSlice } from '../support/payment-slice';
import { requireEnv } from '../support/platform';

jest.setTimeout(180_000);

interface Payout {
  id: string;
  status: string;
  failureCode: string | null;
  bankReference: string | null;
  endToEndId: string | null;
  beneficiary: { iban: string; name: string; bic: string | null } | null;
  statusHistory: { status: string; failureCode: string | null; at: string }[];
}

/**
 * Payouts through the gateway and the ledger, the partner adapter's part played by the test: it
 * sends the ledger the commands the adapter would (SettlePayout, ReleasePayout, ReturnPayout) and
 * publishes the adapter's PayoutSubmitted on partner.events.v1.
 */
describe('payouts through the gateway and the ledger', () => {
  const slice = usePaymentSlice({ fundedMinor: '100000' });
  let producer: Producer;
  let commands: LedgerCommands;

  beforeAll(async () => {
    ({ producer } = await connectProducer('test-payouts'));
    commands = new LedgerCommands(producer);
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  const beneficiary = { iban: 'DE89 3704 0044 0532 0130 00', name: 'Erika Mustermann' };

  async function payout(amount: string, key = randomUUID(), body: object = {}) {
    return slice.client.post<Payout>(
      '/v1/payouts',
      { sourceAccountId: slice.source.id, amount, currency: 'EUR', beneficiary, ...body },
      { 'idempotency-key': key, prefer: 'wait=10' },
    );
  }

  async function until(id: string, status: string): Promise<Payout> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const read = await slice.client.get<Payout>(`/v1/payouts/${id}`);
      if (read.body.status === status) return read.body;
      if (Date.now() > deadline) throw new Error(`payout ${id} is ${read.body.status}`);
      await sleep(100);
    }
  }

  const ledger = (
    id: string,
    type: 'SettlePayout' | 'ReleasePayout' | 'ReturnPayout',
    data: object,
  ) => commands.message(id, type, slice.source.id, { accountId: slice.source.id, ...data });

  async function submitted(paymentId: string): Promise<void> {
    const data = { paymentId, accountId: slice.source.id, partnerId: 'sandbox', attempt: 1 };
    const envelope = createEnvelope({
      id: `${paymentId}:submitted:1`,
      type: 'PayoutSubmitted',
      source: 'test',
      time: new Date(),
      partitionKey: slice.source.id,
      correlationId: paymentId,
      causationId: null,
      data: { ...data, at: new Date().toISOString() },
    });
    await producer.send({
      topic: TOPICS.partnerEvents,
      acks: -1,
      messages: [{ key: slice.source.id, value: encodeEnvelope(envelope) }],
    });
  }

  it('holds the funds (201 processing), goes pending, then completes with the bank reference', async () => {
    const created = await payout('2500');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'processing',
      beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann', bic: null },
      endToEndId: payoutEndToEndId(created.body.id),
    });
    expect((await slice.balances()).source).toMatchObject({ posted: '100000', pending: '2500' });
    await submitted(created.body.id);
    await until(created.body.id, 'pending');
    const paymentId = created.body.id;
    await commands.send([
      ledger(commandIds.settlePayout(paymentId), 'SettlePayout', {
        paymentId,
        partnerReference: 'bank-tx-1',
      }),
    ]);
    const completed = await until(paymentId, 'completed');
    expect(completed.bankReference).toBe('bank-tx-1');
    expect(completed.statusHistory.map((entry) => entry.status)).toEqual([
      'processing',
      'pending',
      'completed',
    ]);
    expect((await slice.balances()).source).toMatchObject({ posted: '97500', pending: '0' });
    const listed = await slice.client.get<{ data: { id: string; status: string }[] }>(
      `/v1/payments?accountId=${slice.source.id}&status=completed`,
    );
    expect(listed.body.data).toContainEqual(expect.objectContaining({ id: paymentId }));
  });

  it('fails with the bank reason code and releases the funds when the bank rejects it', async () => {
    const before = (await slice.balances()).source;
    const { body } = await payout('700');
    await commands.send([
      ledger(commandIds.releasePayout(body.id), 'ReleasePayout', {
        paymentId: body.id,
        reasonCode: 'bank_rejected_ac01',
      }),
    ]);
    const failed = await until(body.id, 'failed');
    expect(failed.failureCode).toBe('bank_rejected_ac01');
    expect((await slice.balances()).source).toEqual(before);
  });

  it('credits the customer back once when the bank returns a settled payout (sent twice)', async () => {
    const { body } = await payout('1200');
    await commands.send([
      ledger(commandIds.settlePayout(body.id), 'SettlePayout', {
        paymentId: body.id,
        partnerReference: 'bank-tx-2',
      }),
    ]);
    await until(body.id, 'completed');
    const settled = (await slice.balances()).source;
    const returned = ledger(commandIds.returnPayout(body.id), 'ReturnPayout', {
      paymentId: body.id,
      amountMinor: '1200',
      currency: 'EUR',
      partnerId: 'sandbox',
      partnerReference: 'bank-tx-2',
      reasonCode: 'bank_returned_ac04',
    });
    await commands.send([returned]);
    const read = await until(body.id, 'returned');
    expect(read.failureCode).toBe('bank_returned_ac04');
    expect(read.statusHistory.map((entry) => entry.status)).toEqual([
      'processing',
      'completed',
      'returned',
    ]);
    // Delivered again, then a deposit on the same partition: once the deposit is in, so is the
    // duplicate before it, and the account holds the returned amount once.
    await commands.send([returned]);
    const deposit = await slice.admin.post(
      '/v1/admin/deposits',
      { accountId: slice.source.id, amount: '5', currency: 'EUR', reference: 'after the return' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    expect(deposit.body).toMatchObject({ status: 'completed' });
    expect((await slice.balances()).source.posted).toBe(String(BigInt(settled.posted) + 1205n));
  });

  it('is pending when the adapter event was projected before the reservation (two topics)', async () => {
    const { paymentId, messages } = commands.payout(slice.source.id, '10');
    await submitted(paymentId);
    const db = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await db.connect();
    try {
      const projected = async () =>
        (
          await db.query('SELECT 1 FROM gateway.payment_status_history WHERE payment_id = $1', [
            paymentId,
          ])
        ).rowCount === 1;
      for (let tries = 0; !(await projected()); tries += 1) {
        if (tries > 300) throw new Error('the PayoutSubmitted was not projected');
        await sleep(100);
      }
    } finally {
      await db.end();
    }
    await commands.send([messages[0]]);
    expect((await until(paymentId, 'pending')).statusHistory.map((h) => h.status)).toContain(
      'pending',
    );
  });

  it('replays the same key and body, and refuses the key with another body (422)', async () => {
    const key = randomUUID();
    const first = await payout('300', key);
    const again = await payout('300', key);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const reused = await payout('301', key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it.each([
    ['an IBAN with wrong check digits', { iban: 'DE00370400440532013000' }, 'invalid_iban'],
    ['an IBAN of the wrong length', { iban: 'DE8937040044053201300' }, 'invalid_iban'],
    ['a BIC that is none', { bic: 'NOT-A-BIC' }, 'invalid_bic'],
  ])('refuses %s with 422 problem+json', async (_name, override, code) => {
    const response = await payout('100', randomUUID(), {
      beneficiary: { ...beneficiary, ...override },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ code });
  });

  it('gives a new account a valid virtual IBAN of its own', async () => {
    const account = await slice.client.get<{ virtualIban: string | null }>(
      `/v1/accounts/${slice.source.id}`,
    );
    const other = await slice.client.get<{ virtualIban: string | null }>(
      `/v1/accounts/${slice.destination.id}`,
    );
    expect(account.body.virtualIban).toMatch(/^DE[0-9]{20}$/);
    expect(isValidIBAN(account.body.virtualIban!)).toBe(true);
    expect(other.body.virtualIban).not.toBe(account.body.virtualIban);
  });
});
