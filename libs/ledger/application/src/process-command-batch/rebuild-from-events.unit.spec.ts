import { LEDGER_EVENT_SCHEMAS } from '@rtp/contracts';
import { AccountState, StoredStreamEvent, disagreementWithEvents } from '@rtp/ledger/domain';
import { InMemoryLedgerStore } from './in-memory-ledger.store';
import { EventRow } from './ledger-store.port';
import { MixedScenario, driveMixedScenario } from './mixed-ledger-scenario';
import { ProcessCommandBatchHandler } from './process-command-batch.handler';
import { TestCommandFeed } from './test-commands';

const AT = new Date('2026-12-01T12:00:00Z');

const stored = (row: EventRow): StoredStreamEvent => ({ ...row, data: JSON.parse(row.dataJson) });

/** Each account's disagreement with the events its stream recorded (none when all agree). */
function disagreements(accounts: AccountState[], events: EventRow[]): string[] {
  return accounts.flatMap((account) => {
    const stream = events.filter((event) => event.accountId === account.accountId).map(stored);
    return disagreementWithEvents(account, stream) ?? [];
  });
}

describe('an account rebuilt from its stored events by evolve', () => {
  let store: InMemoryLedgerStore;
  let scenario: MixedScenario;
  let customers: AccountState[];

  beforeAll(async () => {
    // Given a ledger driven through every kind of command and outcome over two partitions
    store = new InMemoryLedgerStore();
    const handler = new ProcessCommandBatchHandler(store, 'ledger', () => AT);
    const feed = new TestCommandFeed(AT, (partition) => store.offsets.get(partition) ?? 0n);
    scenario = await driveMixedScenario(handler, feed, '', [0, 1]);
    customers = [...scenario.accounts.keys()].map((id) => store.accounts.get(id)!.account);
  });

  it('recorded every type of event the contract has, one outside every stream', () => {
    const types = new Set(store.events.map((event) => event.type));
    expect([...types].sort()).toEqual(Object.keys(LEDGER_EVENT_SCHEMAS).sort());
    expect(store.events.filter((event) => event.sequence === null)).toEqual([
      expect.objectContaining({ accountId: scenario.missing, type: 'DepositRejected' }),
    ]);
  });

  it('credited the returned payout once and refused the return of a released one', () => {
    const returns = store.events.filter((event) => event.type === 'PayoutReturned');
    expect(returns.map((event) => JSON.parse(event.dataJson).paymentId)).toEqual(['p3']);
    const refused = store.events
      .filter((event) => event.type === 'AccountCommandRejected')
      .map((event) => JSON.parse(event.dataJson))
      .filter((data) => data.commandType === 'ReturnPayout');
    expect(refused).toEqual([
      expect.objectContaining({ paymentId: 'p4', failureCode: 'payout_not_settled' }),
    ]);
  });

  it('when every account is folded from its stream, then it equals its balance row', () => {
    expect(customers.map((account) => account.accountId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(disagreements(customers, store.events)).toEqual([]);
    expect(customers.map((account) => [account.postedMinor, account.pendingMinor])).toEqual([
      [-40n, 0n],
      [1040n, 0n],
      // 520 before the bank returned its settled payout of 100: credited back once.
      [620n, 0n],
      [0n, 0n],
      [0n, 0n],
    ]);
  });

  it("and the system shards hold exactly the opposite of what the customers' events tell", () => {
    const system = [...store.accounts.values()].filter(
      ({ account }) => account.kind !== 'customer',
    );
    const total = (accounts: AccountState[]) =>
      accounts.reduce((sum, account) => sum + account.postedMinor, 0n);
    expect(total(system.map(({ account }) => account)) + total(customers)).toBe(0n);
  });

  describe('the comparison finds', () => {
    it('a balance row changed behind the events', () => {
      const tampered = customers.map((account) =>
        account.accountId === 'c' ? { ...account, postedMinor: account.postedMinor + 1n } : account,
      );
      expect(disagreements(tampered, store.events)).toEqual([
        'c: postedMinor 621, events 620; availableMinor 621, events 620',
      ]);
    });

    it('a pending balance changed behind the events', () => {
      const tampered = customers.map((account) =>
        account.accountId === 'a' ? { ...account, pendingMinor: 1n } : account,
      );
      expect(disagreements(tampered, store.events)).toEqual([
        expect.stringMatching(/^a: pendingMinor 1, events 0/),
      ]);
    });

    it("an account's last event dropped", () => {
      const last = store.events.findLast((event) => event.accountId === 'b')!;
      const dropped = store.events.filter((event) => event !== last);
      expect(disagreements(customers, dropped)).toEqual([expect.stringMatching(/^b: .*sequence/)]);
    });

    it('an event dropped from the middle of a stream', () => {
      const middle = store.events.find((event) => event.accountId === 'a' && event.sequence === 3);
      const dropped = store.events.filter((event) => event !== middle);
      expect(disagreements(customers, dropped)).toEqual([
        expect.stringMatching(/^a: StreamHasNoGaps violated/),
      ]);
    });

    it("an event's amount altered", () => {
      const altered = store.events.map((event) =>
        event.accountId === 'c' && event.type === 'AccountAdjusted'
          ? {
              ...event,
              dataJson: event.dataJson.replace('"amountMinor":"30"', '"amountMinor":"31"'),
            }
          : event,
      );
      expect(altered).not.toEqual(store.events);
      expect(disagreements(customers, altered)).toEqual([
        expect.stringMatching(/^c: EventBalanceMatchesStream violated/),
      ]);
    });
  });
});
