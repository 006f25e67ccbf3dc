import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';

jest.setTimeout(300_000);

interface Account {
  id: string;
}
interface Payment {
  id: string;
  status: string;
}

// `npm test` starts the infrastructure and says how to disturb it; with a given one these are skipped.
const kafkaPid = Number(process.env.RTP_TEST_KAFKA_PID ?? 0);
const postgresRestarterPid = Number(process.env.RTP_TEST_POSTGRES_RESTARTER_PID ?? 0);
const describeWithFaults = kafkaPid > 0 && postgresRestarterPid > 0 ? describe : describe.skip;

describeWithFaults(
  'the ledger and the gateway ride out infrastructure faults without a restart',
  () => {
    const platform = new Platform();
    let admin: GatewayClient;
    let client: GatewayClient;
    let accounts: Account[];

    const pay = (wait: number) =>
      client.post<Payment>(
        '/v1/payments',
        {
          sourceAccountId: accounts[0].id,
          destinationAccountId: accounts[1].id,
          amount: '1',
          currency: 'EUR',
        },
        { 'idempotency-key': randomUUID(), prefer: `wait=${wait}` },
      );
    const ready = async (name: string) => {
      try {
        return (
          (
            await fetch(`http://127.0.0.1:${platform.port(name)}/health/ready`, {
              signal: AbortSignal.timeout(3_000),
            })
          ).status === 200
        );
      } catch {
        return false;
      }
    };
    async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await condition()) return true;
        await sleep(250);
      }
      return condition();
    }
    const running = (name: string) =>
      platform.handle(name).child.exitCode === null &&
      platform.handle(name).child.signalCode === null;

    beforeAll(async () => {
      await platform.start('ledger');
      await platform.start('gateway');
      admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
      client = admin.withKey(
        (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Faults' })).body.apiKey,
      );
      accounts = [];
      for (let index = 0; index < 2; index += 1) {
        accounts.push(
          (await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' }))
            .body,
        );
      }
      const funded = await admin.post<Payment>(
        '/v1/admin/deposits',
        { accountId: accounts[0].id, amount: '1000', currency: 'EUR', reference: 'funding' },
        { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
      );
      expect(funded.body.status).toBe('completed');
    });

    afterAll(async () => {
      process.kill(kafkaPid, 'SIGCONT');
      await platform.stopAll();
    });

    it('survives a 20 s broker stall (longer than the session timeout) with no exit; POSTs answer within their wait', async () => {
      process.kill(kafkaPid, 'SIGSTOP');
      let during: { status: number; elapsedMs: number; id: string };
      try {
        await sleep(1_000);
        const started = Date.now();
        const response = await pay(2);
        during = { status: response.status, elapsedMs: Date.now() - started, id: response.body.id };
        await sleep(19_000);
      } finally {
        process.kill(kafkaPid, 'SIGCONT');
      }
      // Accepted into the outbox: 202 within the 2 s wait (plus the accept path), never hanging on the broker.
      expect(during.status).toBe(202);
      expect(during.elapsedMs).toBeLessThan(3_500);
      expect(
        await until(async () => (await ready('ledger')) && (await ready('gateway')), 90_000),
      ).toBe(true);
      expect(
        await until(
          async () =>
            (await client.get<Payment>(`/v1/payments/${during.id}`)).body.status === 'completed',
          60_000,
        ),
      ).toBe(true);
      const after = await pay(10);
      expect([after.status, after.body.status]).toEqual([201, 'completed']);
      expect(running('ledger') && running('gateway')).toBe(true);
    });

    it('reconnects after PostgreSQL restarts under it: readiness and confirmations recover by themselves', async () => {
      process.kill(postgresRestarterPid, 'SIGUSR2');
      // The restart takes the database away for a moment, then readiness must come back on its own.
      await until(async () => !(await ready('gateway')), 15_000);
      expect(
        await until(async () => (await ready('gateway')) && (await ready('ledger')), 90_000),
      ).toBe(true);
      const body = (await (
        await fetch(`http://127.0.0.1:${platform.port('gateway')}/health/ready`)
      ).json()) as { checks: { name: string; status: string }[] };
      expect(body.checks).toEqual(
        expect.arrayContaining([{ name: 'outcome-listener', status: 'up' }]),
      );
      // Confirmed by the LISTEN notification, not by waiting out the 5 s wait.
      const started = Date.now();
      const response = await pay(5);
      expect([response.status, response.body.status]).toEqual([201, 'completed']);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(running('ledger') && running('gateway')).toBe(true);
    });
  },
);
