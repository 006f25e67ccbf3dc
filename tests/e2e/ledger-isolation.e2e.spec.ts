import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Producer } from 'kafkajs';
import { LedgerCommands, connectProducer } from '../support/ledger-commands';
import { LedgerDatabase } from '../support/ledger-database';
import { Platform } from '../support/platform';

jest.setTimeout(300_000);

const INT64_MAX = 9_223_372_036_854_775_807n;

describe('the ledger refuses what it cannot apply, and its partitions keep moving', () => {
  const platform = new Platform();
  const database = new LedgerDatabase();
  let producer: Producer;
  let commands: LedgerCommands;

  /** The events recorded for a command's payment or deposit id, waited for. */
  async function outcome(
    id: string,
    timeoutMs = 60_000,
  ): Promise<{ type: string; failureCode: string | null }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await database.rows<{ type: string; failure_code: string | null }>(
        `SELECT type, data->>'failureCode' AS failure_code FROM ledger.events
         WHERE (data->>'depositId' = $1 OR data->>'paymentId' = $1)
           AND type IN ('DepositCompleted', 'DepositRejected', 'TransferCompleted', 'TransferRejected',
             'TransferRefunded')`,
        [id],
      );
      if (rows.length > 0) return { type: rows[0].type, failureCode: rows[0].failure_code };
      if (Date.now() > deadline) throw new Error(`no outcome for ${id}`);
      await sleep(200);
    }
  }

  async function openAccounts(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => `acct-${randomUUID()}`);
    await commands.send(ids.map((id) => commands.openAccount(id)));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [{ count: opened }] = await database.rows<{ count: string }>(
        'SELECT count(*) FROM ledger.accounts WHERE account_id = ANY($1::text[])',
        [ids],
      );
      if (Number(opened) === count) return ids;
      await sleep(200);
    }
    throw new Error('accounts not opened');
  }

  beforeAll(async () => {
    await database.connect();
    ({ producer } = await connectProducer('test-isolation'));
    commands = new LedgerCommands(producer);
    await platform.start('ledger');
  });

  afterAll(async () => {
    await database
      .rows('DROP TRIGGER IF EXISTS test_poison_entry ON ledger.entries')
      .catch(() => undefined);
    await producer?.disconnect();
    await platform.stopAll();
    await database.end();
  });

  it('rejects a deposit that would overflow a 64-bit balance, and the partition keeps moving', async () => {
    const [alice, bob] = await openAccounts(2);
    // Fill the partition's settlement shard exactly to the signed 64-bit minimum (or Alice to the maximum).
    const [{ owner_partition: partition }] = await database.rows<{ owner_partition: number }>(
      'SELECT owner_partition FROM ledger.accounts WHERE account_id = $1',
      [alice],
    );
    const shard = await database.rows<{ posted_minor: string }>(
      'SELECT posted_minor::text FROM ledger.accounts WHERE account_id = $1',
      [`settlement:sandbox:EUR:p${partition}`],
    );
    const settled = BigInt(shard[0]?.posted_minor ?? '0');
    const fill = settled + INT64_MAX + 1n > INT64_MAX ? INT64_MAX : settled + INT64_MAX + 1n;
    const huge = commands.deposit(alice, fill.toString());
    await commands.send([huge.message]);
    expect(await outcome(huge.depositId)).toEqual({ type: 'DepositCompleted', failureCode: null });
    const over = commands.deposit(alice, '2');
    const first = commands.transfer(alice, bob, '10');
    const second = commands.transfer(alice, bob, '5');
    await commands.send([over.message, first.message, second.message]);
    expect(await outcome(over.depositId)).toEqual({
      type: 'DepositRejected',
      failureCode: 'amount_out_of_range',
    });
    expect(await outcome(first.paymentId)).toEqual({
      type: 'TransferCompleted',
      failureCode: null,
    });
    expect(await outcome(second.paymentId)).toEqual({
      type: 'TransferCompleted',
      failureCode: null,
    });
    const balance = async () =>
      BigInt(
        (
          await database.rows<{ posted_minor: string }>(
            'SELECT posted_minor::text FROM ledger.accounts WHERE account_id = $1',
            [alice],
          )
        )[0].posted_minor,
      );
    expect(await balance()).toBe(fill - 15n);
    // Pay the money back out so that later tests find the settlement shard with room again.
    const payout = commands.payout(alice, (fill - 15n).toString());
    await commands.send(payout.messages);
    const deadline = Date.now() + 60_000;
    while ((await balance()) !== 0n && Date.now() < deadline) await sleep(200);
    expect(await balance()).toBe(0n);
  });

  it('isolates a command that fails its batch permanently and commits the rest of the batch', async () => {
    const accounts = await openAccounts(6);
    const poisoned = accounts[2];
    await database.rows(`CREATE OR REPLACE FUNCTION public.test_poison_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.account_id = '${poisoned}' THEN
          RAISE EXCEPTION 'poisoned entry for %', NEW.account_id USING ERRCODE = '22003';
        END IF;
        RETURN NEW;
      END $$`);
    await database.rows(`CREATE TRIGGER test_poison_entry BEFORE INSERT ON ledger.entries FOR EACH ROW
      EXECUTE FUNCTION public.test_poison_entry()`);
    try {
      // Stopped while the commands arrive, so that they reach the ledger in as few batches as possible.
      await platform.handle('ledger').stop();
      const deposits = accounts.flatMap((account) =>
        [1, 2, 3].map((amount) => commands.deposit(account, String(amount))),
      );
      await commands.send(deposits.map((deposit) => deposit.message));
      await platform.start('ledger');
      for (const [index, deposit] of deposits.entries()) {
        const expected =
          accounts[Math.floor(index / 3)] === poisoned
            ? { type: 'DepositRejected', failureCode: 'processing_failed' }
            : { type: 'DepositCompleted', failureCode: null };
        expect(await outcome(deposit.depositId)).toEqual(expected);
      }
      const metrics = await (
        await fetch(`http://127.0.0.1:${platform.port('ledger')}/metrics`)
      ).text();
      expect(metrics).toMatch(
        /consumer_messages_isolated_total\{group="ledger",topic="ledger.commands.v1"[^}]*\} [1-9]/,
      );
      expect((await fetch(`http://127.0.0.1:${platform.port('ledger')}/health/ready`)).status).toBe(
        200,
      );
    } finally {
      await database.rows('DROP TRIGGER IF EXISTS test_poison_entry ON ledger.entries');
    }
    const after = commands.deposit(poisoned, '7');
    await commands.send([after.message]);
    expect(await outcome(after.depositId)).toEqual({ type: 'DepositCompleted', failureCode: null });
  });
});
