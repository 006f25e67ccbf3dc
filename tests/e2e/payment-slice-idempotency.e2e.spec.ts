import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { requireEnv } from '../support/platform';
import { usePaymentSlice } from '../support/payment-slice';

jest.setTimeout(120_000);

describe('the payment slice over HTTP, idempotency', () => {
  const slice = usePaymentSlice({ fundedMinor: '10000' });

  describe('when the same Idempotency-Key is sent again', () => {
    it('returns the original payment once, marked as replayed, and moves money once', async () => {
      const key = randomUUID();
      const body = slice.transfer(100);
      const before = await slice.balances();
      const first = await slice.client.post('/v1/payments', body, { 'idempotency-key': key });
      const again = await slice.client.post('/v1/payments', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const after = await slice.balances();
      expect(BigInt(before.source.posted) - BigInt(after.source.posted)).toBe(100n);
    });

    it('makes one payment of 20 concurrent requests with one key; the others replay it or get 409', async () => {
      const key = randomUUID();
      const body = slice.transfer('3');
      const before = await slice.balances();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          slice.client.post('/v1/payments', body, { 'idempotency-key': key }),
        ),
      );
      const accepted = responses.filter(
        (response) => response.status === 201 || response.status === 202,
      );
      const conflicts = responses.filter((response) => response.status === 409);
      expect(accepted.length + conflicts.length).toBe(20);
      expect(new Set(accepted.map((response) => response.body.id)).size).toBe(1);
      for (const conflict of conflicts) {
        expect(conflict.body.code).toBe('idempotency_key_in_flight');
        expect(conflict.headers.get('retry-after')).toBe('1');
      }
      const after = await slice.balances();
      expect(BigInt(before.source.posted) - BigInt(after.source.posted)).toBe(3n);
    });

    it('treats a key past its retention as new', async () => {
      const key = randomUUID();
      const body = slice.transfer('2');
      const first = await slice.client.post('/v1/payments', body, { 'idempotency-key': key });
      const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
      await database.connect();
      await database.query(
        `UPDATE gateway.idempotency_keys SET expires_at = now() - interval '1 second'
        WHERE idempotency_key = $1`,
        [key],
      );
      await database.end();
      const later = await slice.client.post(
        '/v1/payments',
        { ...body, amount: '4' },
        { 'idempotency-key': key },
      );
      expect(later.status).toBe(201);
      expect(later.body.id).not.toBe(first.body.id);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
    });

    it('answers 422 when the request differs', async () => {
      const key = randomUUID();
      const body = slice.transfer('1');
      expect(
        (await slice.client.post('/v1/payments', body, { 'idempotency-key': key })).status,
      ).toBe(201);
      const reused = await slice.client.post(
        '/v1/payments',
        { ...body, amount: '2' },
        { 'idempotency-key': key },
      );
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
    });
  });
});
