import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Producer } from 'kafkajs';
import { commandIds, ledgerEventProblem, payoutEndToEndId } from '@rtp/contracts';
import { LedgerCommands, connectProducer } from '../support/ledger-commands';
import { LedgerDatabase } from '../support/ledger-database';
import { Platform } from '../support/platform';

jest.setTimeout(180_000);

/**
 * The ledger checks every event it decides against the contract (LEDGER_EVENT_SCHEMAS) before
 * writing it, and refuses the command (processing_failed) on a mismatch. This drives every kind of
 * command through a real ledger and checks that none was refused that way and that every event it
 * stored reads back as its contract says, the fields the ledger adds (sequence, balance) included.
 */
describe('every event the ledger writes matches its contract', () => {
  const platform = new Platform();
  const database = new LedgerDatabase();
  let producer: Producer;
  let commands: LedgerCommands;

  beforeAll(async () => {
    await database.connect();
    ({ producer } = await connectProducer('test-contracts'));
    commands = new LedgerCommands(producer);
    await platform.start('ledger');
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform.stopAll();
    await database.end();
  });

  async function processed(ids: string[]): Promise<Map<string, string>> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const rows = await database.rows<{ command_id: string; outcome: string }>(
        'SELECT command_id, outcome FROM ledger.processed_commands WHERE command_id = ANY($1::text[])',
        [ids],
      );
      if (rows.length === ids.length)
        return new Map(rows.map((row) => [row.command_id, row.outcome]));
      if (Date.now() > deadline)
        throw new Error(`processed ${rows.length} of ${ids.length} commands`);
      await sleep(200);
    }
  }

  it('accepts every kind of command without a processing_failed, and each event parses', async () => {
    const account = `acct-${randomUUID()}`;
    const other = `acct-${randomUUID()}`;
    const admin = { reasonCode: 'test_case', actor: 'test-operator' };
    const deposit = commands.deposit(account, '10000');
    const released = randomUUID();
    const resolved = randomUUID();
    const settled = commands.payout(account, '100');
    const adjustmentId = randomUUID();
    const steps = [
      [commands.openAccount(account), commands.openAccount(other)],
      [deposit.message],
      [commands.transfer(account, other, '250').message],
      settled.messages,
      [
        commands.message(commandIds.returnPayout(settled.paymentId), 'ReturnPayout', account, {
          paymentId: settled.paymentId,
          accountId: account,
          amountMinor: '100',
          currency: 'EUR',
          partnerId: 'sandbox',
          partnerReference: 'test',
          reasonCode: 'bank_returned_ac04',
        }),
      ],
      [
        commands.message(commandIds.reservePayout(released), 'ReservePayout', account, {
          paymentId: released,
          accountId: account,
          beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
          endToEndId: payoutEndToEndId(released),
          amountMinor: '200',
          currency: 'EUR',
          partnerId: 'sandbox',
          initiatedBy: 'test-client',
          reference: null,
        }),
        commands.message(commandIds.releasePayout(released), 'ReleasePayout', account, {
          paymentId: released,
          accountId: account,
          reasonCode: 'partner_rejected',
        }),
      ],
      [
        commands.message(commandIds.reservePayout(resolved), 'ReservePayout', account, {
          paymentId: resolved,
          accountId: account,
          beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
          endToEndId: payoutEndToEndId(resolved),
          amountMinor: '300',
          currency: 'EUR',
          partnerId: 'sandbox',
          initiatedBy: 'test-client',
          reference: 'resolve me',
        }),
        commands.message(commandIds.resolvePayment(resolved), 'ResolvePayment', account, {
          paymentId: resolved,
          accountId: account,
          resolution: 'settle',
          evidence: 'statement line 7',
          actor: 'test-operator',
        }),
      ],
      [
        commands.message(commandIds.adjust(adjustmentId), 'Adjust', account, {
          adjustmentId,
          accountId: account,
          amountMinor: '-50',
          currency: 'EUR',
          note: 'a fee the bank charged',
          ...admin,
        }),
      ],
      [
        commands.message(commandIds.accountAction(other, 'freeze', 'r1'), 'FreezeAccount', other, {
          accountId: other,
          mode: 'debits',
          ...admin,
        }),
      ],
      [
        commands.message(
          commandIds.accountAction(other, 'unfreeze', 'r2'),
          'UnfreezeAccount',
          other,
          { accountId: other, mode: 'debits', ...admin },
        ),
      ],
    ];
    const ids: string[] = [];
    // In order, each step after the last one's commands are processed: a payout's release needs its
    // reservation, and so on.
    for (const messages of steps) {
      await commands.send(messages);
      const stepIds = messages.map(
        (message) => JSON.parse(message.value.toString('utf8')).id as string,
      );
      await processed(stepIds);
      ids.push(...stepIds);
    }
    expect((await processed(ids)).size).toBe(ids.length);
    const events = await database.rows<{ type: string; data: { failureCode?: string } }>(
      'SELECT type, data FROM ledger.events WHERE account_id = ANY($1::text[])',
      [[account, other]],
    );
    // A mismatch with the contract refuses the command with processing_failed: none was.
    expect(events.filter((event) => event.data.failureCode === 'processing_failed')).toEqual([]);
    const types = new Set(events.map((event) => event.type));
    for (const type of [
      'AccountOpened',
      'DepositCompleted',
      'TransferDebited',
      'TransferCompleted',
      'PayoutReserved',
      'PayoutSettled',
      'PayoutReleased',
      'PayoutReturned',
      'AccountAdjusted',
      'AccountFrozen',
      'AccountUnfrozen',
    ]) {
      expect(types).toContain(type);
    }
    expect(
      events
        .map((event) => [event.type, ledgerEventProblem(event.type, event.data)])
        .filter(([, problem]) => problem !== null),
    ).toEqual([]);
  });
});
