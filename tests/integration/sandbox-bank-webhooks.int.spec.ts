import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { bankWebhookSchema } from '@rtp/contracts';
import {
  CREDITOR_IBAN,
  ReceivedWebhook,
  SandboxBank,
  WebhookReceiver,
  transferRequest,
} from '../support/sandbox-bank';

jest.setTimeout(120_000);

const VIRTUAL_IBAN = 'DE02120300000000202051';

describe('the sandbox bank over HTTP: webhooks and returns', () => {
  const receiver = new WebhookReceiver();
  const bank = new SandboxBank();

  beforeAll(async () => {
    await receiver.start();
    await bank.start({
      SANDBOX_BANK_WEBHOOK_URL: receiver.url,
      SANDBOX_BANK_RETURN_RATE: '1',
      SANDBOX_BANK_RETURN_DELAY_MS: '500',
    });
  });
  afterAll(async () => {
    await bank.stop();
    await receiver.stop();
  });

  /** The payload, verified as Standard Webhooks says (throws on a bad signature). */
  const verified = (hook: ReceivedWebhook) =>
    bankWebhookSchema.parse(new Webhook(bank.webhookSecret).verify(hook.body, hook.headers));
  const about = (id: string) => (hook: ReceivedWebhook) => hook.body.includes(id);

  it('returns a booked transfer later with a reason code, each change signed and delivered', async () => {
    const created = await bank.postTransfer(transferRequest());
    const returned = await bank.waitForTransfer(created.body.id, (t) => t.status === 'returned');
    expect(returned.body).toMatchObject({ status: 'returned' });
    expect(['AC04', 'MD07']).toContain(returned.body.reasonCode);
    expect(returned.body.returnedAt).not.toBeNull();

    const hooks = await receiver.waitFor((all) => all.filter(about(created.body.id)).length >= 2);
    const events = hooks.filter(about(created.body.id)).map(verified);
    expect(events.map((event) => event.type === 'transfer.updated' && event.data.status)).toEqual([
      'booked',
      'returned',
    ]);
    expect(events[1].data).toEqual(returned.body);
    const forged = { ...hooks.find(about(created.body.id))!, body: '{"type":"forged"}' };
    expect(() => new Webhook(bank.webhookSecret).verify(forged.body, forged.headers)).toThrow();
  });

  it('books an inbound credit and delivers credit.booked', async () => {
    const endToEndId = `DEP-${randomUUID().slice(0, 12)}`;
    const credit = await bank.request('POST', '/admin/credits', {
      admin: true,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        creditorIban: VIRTUAL_IBAN,
        debtor: { iban: CREDITOR_IBAN, name: 'Grace Hopper' },
        amountMinor: '4200',
        currency: 'EUR',
        endToEndId,
        remittanceInformation: 'top up',
      },
    });
    expect(credit.status).toBe(201);
    const hooks = await receiver.waitFor((all) => all.some(about(endToEndId)));
    const event = verified(hooks.find(about(endToEndId))!);
    expect(event).toMatchObject({
      type: 'credit.booked',
      data: {
        transactionId: credit.body.transactionId,
        creditorIban: VIRTUAL_IBAN,
        amountMinor: '4200',
        endToEndId,
      },
    });
  });

  it('refuses /admin/credits without the admin key', async () => {
    const answer = await bank.request('POST', '/admin/credits', { body: {} });
    expect(answer.status).toBe(401);
  });

  it('retries a delivery answered 500 until it is answered 2xx, under the same webhook-id', async () => {
    let failuresLeft = 2;
    receiver.answer = () => (failuresLeft-- > 0 ? 500 : 204);
    const endToEndId = `DEP-${randomUUID().slice(0, 12)}`;
    await bank.request('POST', '/admin/credits', {
      admin: true,
      body: {
        creditorIban: VIRTUAL_IBAN,
        debtor: { iban: CREDITOR_IBAN, name: 'Grace Hopper' },
        amountMinor: '100',
        currency: 'EUR',
        endToEndId,
      },
    });
    const hooks = await receiver.waitFor((all) => all.filter(about(endToEndId)).length >= 3);
    const attempts = hooks.filter(about(endToEndId));
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    attempts.forEach((hook) => expect(verified(hook).type).toBe('credit.booked'));
    // Delivered: no fourth attempt follows.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.received.filter(about(endToEndId))).toHaveLength(3);
    receiver.answer = () => 204;
  });

  it('sends an injected duplicate under the same webhook-id', async () => {
    expect((await bank.setFaults({ webhooks: { duplicateRate: 1 } })).status).toBe(200);
    const endToEndId = `DEP-${randomUUID().slice(0, 12)}`;
    await bank.request('POST', '/admin/credits', {
      admin: true,
      body: {
        creditorIban: VIRTUAL_IBAN,
        debtor: { iban: CREDITOR_IBAN, name: 'Grace Hopper' },
        amountMinor: '100',
        currency: 'EUR',
        endToEndId,
      },
    });
    const hooks = await receiver.waitFor((all) => all.filter(about(endToEndId)).length >= 2);
    const copies = hooks.filter(about(endToEndId));
    expect(copies).toHaveLength(2);
    expect(copies[0].headers['webhook-id']).toBe(copies[1].headers['webhook-id']);
    await bank.setFaults({});
  });

  it('delivers after a restart what it could not deliver before', async () => {
    receiver.answer = () => 503;
    const endToEndId = `DEP-${randomUUID().slice(0, 12)}`;
    await bank.request('POST', '/admin/credits', {
      admin: true,
      body: {
        creditorIban: VIRTUAL_IBAN,
        debtor: { iban: CREDITOR_IBAN, name: 'Grace Hopper' },
        amountMinor: '100',
        currency: 'EUR',
        endToEndId,
      },
    });
    await receiver.waitFor((all) => all.some(about(endToEndId)));
    await bank.stop();
    receiver.answer = () => 204;
    const before = receiver.received.filter(about(endToEndId)).length;
    await bank.start({ SANDBOX_BANK_WEBHOOK_URL: receiver.url });
    const hooks = await receiver.waitFor((all) => all.filter(about(endToEndId)).length > before);
    const attempts = hooks.filter(about(endToEndId));
    expect(attempts.length).toBeGreaterThan(before);
    expect(new Set(attempts.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
  });

  it('counts deliveries by outcome on /metrics', async () => {
    const metrics = await (await fetch(`${bank.url}/metrics`)).text();
    expect(metrics).toMatch(
      /sandbox_bank_webhook_deliveries_total\{outcome="delivered"[^}]*\} [1-9]/,
    );
  });
});
