import { randomUUID } from 'node:crypto';
import { CLOSED_ACCOUNT_IBAN, SandboxBank, transferRequest } from '../support/sandbox-bank';

jest.setTimeout(120_000);

describe('the sandbox bank over HTTP: transfers', () => {
  const bank = new SandboxBank();

  beforeAll(() => bank.start({ SANDBOX_BANK_BOOKING_DELAY_MS: '300' }));
  afterAll(() => bank.stop());

  describe('without the API key', () => {
    it.each([
      ['no header', {}],
      ['a wrong key', { authorization: 'Bearer not-the-key-at-all' }],
    ])('answers 401 problem+json for %s', async (_name, headers) => {
      const response = await fetch(`${bank.url}/v1/transfers?endToEndId=E2E-1`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    });

    it('does not take the admin key for the API', async () => {
      const answer = await fetch(`${bank.url}/v1/transfers?endToEndId=E2E-1`, {
        headers: { authorization: `Bearer ${bank.adminKey}` },
      });
      expect(answer.status).toBe(401);
    });
  });

  describe('with a bad request', () => {
    it.each([
      ['a missing field', { ...transferRequest(), currency: undefined }, 422, 'invalid_request'],
      [
        'an amount with a fraction',
        transferRequest({ amountMinor: '12.5' }),
        422,
        'invalid_request',
      ],
      ['an unknown field', { ...transferRequest(), extra: 1 }, 422, 'invalid_request'],
      [
        'another debtor',
        transferRequest({ debtorIban: 'DE50100000000000000001' }),
        422,
        'unknown_debtor_account',
      ],
    ])('refuses %s with %s %s', async (_name, body, status, code) => {
      const answer = await bank.postTransfer(body);
      expect(answer.body).toMatchObject({ status, code });
      expect(answer.status).toBe(status);
    });

    it('refuses malformed JSON with 400', async () => {
      const response = await fetch(`${bank.url}/v1/transfers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bank.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: '{"debtorIban": ',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'malformed_json' });
    });

    it('refuses a transfer without an Idempotency-Key with 400', async () => {
      const answer = await bank.request('POST', '/v1/transfers', { body: transferRequest() });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('idempotency_key_required');
    });
  });

  describe('under one Idempotency-Key', () => {
    it('answers the same transfer to the same body, 422 to another', async () => {
      const key = randomUUID();
      const body = transferRequest();
      const first = await bank.postTransfer(body, key);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: 'accepted', endToEndId: body.endToEndId });
      const again = await bank.postTransfer(body, key);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const other = await bank.postTransfer({ ...body, amountMinor: '999' }, key);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency_key_reused');
    });

    it('creates one transfer for 20 concurrent requests', async () => {
      const key = randomUUID();
      const body = transferRequest();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => bank.postTransfer(body, key)),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      const listed = await bank.request('GET', `/v1/transfers?endToEndId=${body.endToEndId}`);
      expect(listed.body.data).toHaveLength(1);
    });
  });

  describe('after the booking delay', () => {
    it('books the transfer and finds it by its end-to-end id', async () => {
      const body = transferRequest();
      const created = await bank.postTransfer(body);
      expect(created.body.bookedAt).toBeNull();
      const booked = await bank.waitForTransfer(created.body.id, (t) => t.status === 'booked');
      expect(booked.body).toMatchObject({ status: 'booked', reasonCode: null });
      const elapsed = Date.parse(booked.body.bookedAt) - Date.parse(created.body.createdAt);
      expect(elapsed).toBeGreaterThanOrEqual(300);
      const listed = await bank.request('GET', `/v1/transfers?endToEndId=${body.endToEndId}`);
      expect(listed.body).toEqual({ data: [booked.body] });
    });

    it.each([
      [
        'a closed creditor account',
        { creditor: { iban: CLOSED_ACCOUNT_IBAN, name: 'Gone' } },
        'AC04',
      ],
      ['an amount above the limit', { amountMinor: '100000001' }, 'AM02'],
    ])('rejects %s with %s', async (_name, change, code) => {
      const created = await bank.postTransfer(transferRequest(change));
      expect(created.status).toBe(201);
      const rejected = await bank.waitForTransfer(created.body.id, (t) => t.status !== 'accepted');
      expect(rejected.body).toMatchObject({ status: 'rejected', reasonCode: code, bookedAt: null });
    });
  });

  it('rejects a creditor IBAN with a wrong check sum at once with AC01', async () => {
    const created = await bank.postTransfer(
      transferRequest({ creditor: { iban: 'DE51100000000000000001', name: 'Typo' } }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'rejected', reasonCode: 'AC01' });
  });

  it('answers 404 problem+json for an unknown transfer', async () => {
    const answer = await bank.request('GET', `/v1/transfers/trf_${'0'.repeat(32)}`);
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('transfer_not_found');
  });

  it('keeps its state across a restart: an accepted transfer is booked afterwards', async () => {
    await bank.stop();
    await bank.start({ SANDBOX_BANK_BOOKING_DELAY_MS: '3000' });
    const created = await bank.postTransfer(transferRequest());
    await bank.stop();
    await bank.start({ SANDBOX_BANK_BOOKING_DELAY_MS: '300' });
    const booked = await bank.waitForTransfer(created.body.id, (t) => t.status === 'booked');
    expect(booked.body.status).toBe('booked');
  });
});
