import { Webhook } from 'standardwebhooks';
import { PaymentEventData } from '@rtp/contracts';
import { generateWebhookSecret } from '@rtp/gateway/domain';
import { signedHeaders, webhookPayload } from './webhook-payload';

const data: PaymentEventData = {
  payment: {
    id: 'p-1',
    kind: 'transfer',
    status: 'completed',
    sourceAccountId: 'a-1',
    destinationAccountId: 'a-2',
    amount: '1250',
    currency: 'EUR',
    reference: null,
    metadata: { order: 'x'.repeat(400) },
    failureCode: null,
    initiatedBy: 'account_owner',
    beneficiary: null,
    endToEndId: null,
    bankReference: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
  },
  clientId: 'client-a',
  statusSequence: 2,
  derivedFrom: ['ledger-event-1'],
  at: '2026-01-01T00:00:01.000Z',
};

describe('a webhook body', () => {
  it('carries the type, the time and the payment with its status sequence', () => {
    const body = JSON.parse(
      webhookPayload('payment-event:p-1:completed', 'PaymentCompleted', data, 65_536),
    );
    expect(body).toEqual({
      type: 'PaymentCompleted',
      timestamp: data.at,
      data: {
        eventId: 'payment-event:p-1:completed',
        payment: data.payment,
        statusSequence: 2,
        derivedFrom: ['ledger-event-1'],
      },
    });
  });

  it('leaves out the representation when the body would be over the limit', () => {
    const payload = webhookPayload('e', 'PaymentCompleted', data, 300);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(300);
    expect(JSON.parse(payload).data).toEqual({
      eventId: 'e',
      payment: { id: 'p-1', kind: 'transfer', status: 'completed' },
      statusSequence: 2,
      truncated: true,
    });
  });
});

describe('the Standard Webhooks signatures', () => {
  const payload = webhookPayload('e', 'PaymentCompleted', data, 65_536);

  it('verify with the standardwebhooks library and the endpoint secret', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_/);
    const headers = signedHeaders('msg_1', payload, [secret], new Date());
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
    expect(() => new Webhook(generateWebhookSecret()).verify(payload, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${payload} `, headers)).toThrow();
  });

  it('verify with either key during a rotation overlap (both signatures are sent)', () => {
    const previous = generateWebhookSecret();
    const next = generateWebhookSecret();
    const headers = signedHeaders('msg_1', payload, [next, previous], new Date());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(next).verify(payload, headers)).not.toThrow();
  });

  it('are refused by the library when the timestamp is old (replay)', () => {
    const secret = generateWebhookSecret();
    const headers = signedHeaders('msg_1', payload, [secret], new Date(Date.now() - 3_600_000));
    expect(() => new Webhook(secret).verify(payload, headers)).toThrow(/timestamp/i);
  });
});
