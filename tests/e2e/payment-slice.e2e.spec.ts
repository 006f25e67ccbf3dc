import { randomUUID } from 'node:crypto';
import { SliceAccount, usePaymentSlice } from '../support/payment-slice';

jest.setTimeout(120_000);

describe('the payment slice over HTTP', () => {
  const slice = usePaymentSlice();

  it('opens accounts, funds one by deposit, pays the other and reads both back', async () => {
    expect(slice.source).toMatchObject({
      status: 'active',
      currency: 'EUR',
      balance: { posted: '0', available: '0' },
    });
    expect(slice.destination.status).toBe('active');

    const deposit = await slice.admin.post(
      '/v1/admin/deposits',
      {
        accountId: slice.source.id,
        amount: '10000',
        currency: 'EUR',
        reference: 'initial funding',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(deposit.status).toBe(201);
    expect(deposit.body).toMatchObject({
      status: 'completed',
      amount: '10000',
      accountId: slice.source.id,
    });

    const payment = await slice.client.post(
      '/v1/payments',
      {
        sourceAccountId: slice.source.id,
        destinationAccountId: slice.destination.id,
        amount: '2500',
        currency: 'EUR',
        reference: 'invoice 42',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ status: 'completed', amount: '2500', failureCode: null });

    expect(await slice.balances()).toEqual({
      source: { posted: '7500', pending: '0', available: '7500' },
      destination: { posted: '2500', pending: '0', available: '2500' },
    });
    const readBack = await slice.client.get(`/v1/payments/${payment.body.id}`);
    expect(readBack.status).toBe(200);
    expect(readBack.body).toMatchObject({
      id: payment.body.id,
      status: 'completed',
      reference: 'invoice 42',
    });
    // The answer to the POST (built from the projection's notification) is the payment as stored.
    expect(payment.body).toEqual(readBack.body);
    const balance = await slice.client.get(`/v1/accounts/${slice.source.id}/balance`);
    expect(balance.body).toEqual({
      accountId: slice.source.id,
      currency: 'EUR',
      posted: '7500',
      pending: '0',
      available: '7500',
    });
  });

  it('rejects a payment larger than the available balance with insufficient_funds', async () => {
    const before = await slice.balances();
    const payment = await slice.client.post(
      '/v1/payments',
      {
        sourceAccountId: slice.source.id,
        destinationAccountId: slice.destination.id,
        amount: '1000000',
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ status: 'rejected', failureCode: 'insufficient_funds' });
    expect(payment.body).toEqual((await slice.client.get(`/v1/payments/${payment.body.id}`)).body);
    expect(await slice.balances()).toEqual(before);
  });

  it("hides one client's accounts and payments from another (404)", async () => {
    const other = slice.admin.withKey(
      (await slice.admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Other' })).body
        .apiKey,
    );
    expect((await other.get(`/v1/accounts/${slice.source.id}`)).status).toBe(404);
    expect((await other.get(`/v1/accounts/${slice.source.id}/balance`)).status).toBe(404);
    const theirs = await other.post<SliceAccount>('/v1/accounts', { currency: 'EUR' });
    const stealing = await other.post(
      '/v1/payments',
      {
        sourceAccountId: slice.source.id,
        destinationAccountId: theirs.body.id,
        amount: '1',
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(stealing.status).toBe(404);
    expect(stealing.body.code).toBe('account_not_found');
  });
});
