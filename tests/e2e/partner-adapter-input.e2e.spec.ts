import { Client } from 'pg';
import { commandIds } from '@rtp/contracts';
import { services } from '../../tools/service-processes';
import { requireEnv } from '../support/platform';
import { PartnerAdapterFixture } from '../support/partner-adapter';

// The adapter's HTTP routes answer problem+json with a stable code: 4xx for bad input, never a
// 5xx; a failing database under POST /webhooks/bank is a 503 the bank retries, not Nest's 500.
jest.setTimeout(120_000);

const UNKNOWN_IBAN = 'DE75512108001245126199';

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  admin?: boolean;
  status: number;
  code: string;
}

const CASES: Case[] = [
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/v1/nothing',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'a GET of the webhook route',
    method: 'GET',
    path: '/webhooks/bank',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'a webhook as text/plain',
    method: 'POST',
    path: '/webhooks/bank',
    headers: { 'content-type': 'text/plain' },
    body: 'hello',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a webhook over 64 KiB',
    method: 'POST',
    path: '/webhooks/bank',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pad: 'x'.repeat(70_000) }),
    status: 413,
    code: 'body_too_large',
  },
  {
    name: 'an unsigned webhook',
    method: 'POST',
    path: '/webhooks/bank',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    status: 401,
    code: 'webhook_signature_invalid',
  },
  {
    name: 'the review without a key',
    method: 'GET',
    path: '/v1/review/payouts',
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a review limit that is not a number',
    method: 'GET',
    path: '/v1/review/payouts?limit=abc',
    admin: true,
    status: 400,
    code: 'invalid_limit',
  },
  {
    name: 'a review limit over the page size',
    method: 'GET',
    path: '/v1/review/suspense?limit=100000',
    admin: true,
    status: 400,
    code: 'invalid_limit',
  },
];

describe('partner adapter input and failures', () => {
  const adapter = new PartnerAdapterFixture();
  const credit = (transactionId: string) => ({
    type: 'credit.booked',
    timestamp: new Date().toISOString(),
    data: {
      transactionId,
      creditorIban: UNKNOWN_IBAN,
      debtor: { iban: 'FR1420041010050500013M02606', name: 'Jean Dupont' },
      amountMinor: '2500',
      currency: 'EUR',
      endToEndId: `in-${adapter.run}`,
      remittanceInformation: null,
      bookedAt: new Date().toISOString(),
    },
  });

  beforeAll(async () => {
    const closedPort = await services.freePort();
    await adapter.start({ PARTNER_BANK_URL: `http://127.0.0.1:${closedPort}` });
  });

  afterAll(() => adapter.stop());

  it.each(CASES)('answers $name with $status $code as problem+json', async (c) => {
    const response = await fetch(`${adapter.url}${c.path}`, {
      method: c.method,
      headers: {
        ...(c.admin ? { authorization: `Bearer ${adapter.adminKey}` } : {}),
        ...c.headers,
      },
      body: c.body,
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect({ status: response.status, code: ((await response.json()) as any).code }).toEqual({
      status: c.status,
      code: c.code,
    });
  });

  it('answers a signed webhook with a payload it does not know 400 problem+json', async () => {
    const answer = await adapter.webhook(`wh-bad-${adapter.run}`, { type: 'nothing.happened' });
    expect(answer).toMatchObject({ status: 400, body: { code: 'webhook_payload_invalid' } });
    expect(answer.type).toMatch(/^application\/problem\+json/);
  });

  it('answers 503 problem+json while its database fails, and books the redelivery once', async () => {
    const transactionId = `tx-db-${adapter.run}`;
    const webhookId = `wh-db-${adapter.run}`;
    const blocker = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await blocker.connect();
    let failed: Awaited<ReturnType<typeof adapter.webhook>>;
    try {
      await blocker.query('BEGIN');
      // The receipt cannot be written: the adapter's lock_timeout (5 s) gives up on it.
      await blocker.query('LOCK TABLE partner_adapter.webhook_receipts IN ACCESS EXCLUSIVE MODE');
      failed = await adapter.webhook(webhookId, credit(transactionId));
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect(failed).toMatchObject({ status: 503, body: { code: 'temporarily_unavailable' } });
    expect(failed.type).toMatch(/^application\/problem\+json/);
    expect(adapter.messages('Deposit')).toHaveLength(0);

    const again = await adapter.webhook(webhookId, credit(transactionId));
    expect(again).toMatchObject({ status: 200, body: { duplicate: false } });
    const depositId = commandIds.deposit(`bank:sandbox:${transactionId}`);
    await adapter.waitFor('the Deposit', () => adapter.messages('Deposit', depositId).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(adapter.messages('Deposit', depositId)).toHaveLength(1);
  });
});
