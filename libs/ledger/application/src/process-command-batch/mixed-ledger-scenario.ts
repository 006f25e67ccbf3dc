import { ProcessCommandBatchHandler } from './process-command-batch.handler';
import { TestCommand, TestCommandFeed, testCommands as c } from './test-commands';

/** Follow-ups of follow-ups are at most a credit and then its refund. */
const ROUNDS_MAX = 3;

export interface MixedScenario {
  /** The customer accounts the scenario opens, with their partitions. */
  accounts: Map<string, number>;
  /** An account never opened: commands about it are refused outside every stream. */
  missing: string;
}

/**
 * Drives `handler` through a realistic mixed sequence over two partitions, every kind of command
 * and outcome among them: openings (one twice), deposits (one to an account that does not exist),
 * transfers within and across partitions (refused for funds, limits, the same account and a
 * freeze; one refunded from a frozen destination; one into the overdraft), payouts reserved,
 * settled, released and resolved (one reserved twice, one settled after
 * its release), a settled payout returned (twice, applied once) and a released one refused its return,
 * adjustments both ways, a partner difference booked, freezes lifted, a closing refused and one done, a command refused whole
 * with processing_failed and a deposit delivered twice. Follow-up commands are delivered in turn to
 * their accounts' partitions. Ids start with `prefix`.
 */
export async function driveMixedScenario(
  handler: ProcessCommandBatchHandler,
  feed: TestCommandFeed,
  prefix: string,
  partitions: [number, number],
): Promise<MixedScenario> {
  const [p0, p1] = partitions;
  const [a, b, cc, d, e, missing] = ['a', 'b', 'c', 'd', 'e', 'missing'].map(
    (name) => `${prefix}${name}`,
  );
  const accounts = new Map([a, b].map((id) => [id, p0]));
  for (const id of [cc, d, e]) accounts.set(id, p1);
  accounts.set(missing, p0);
  const id = (name: string) => `${prefix}${name}`;
  const deliver = (...commands: TestCommand[]) =>
    deliverAll(handler, feed, (accountId) => accounts.get(accountId)!, commands);

  await deliver(
    c.open(a, { overdraftLimitMinor: '50' }),
    c.open(b),
    c.open(cc, { perDebitLimitMinor: '300' }),
    c.open(d),
    c.open(e),
  );
  // Opened again by another request: refused, since the account exists.
  const reopen = { ...c.open(a), id: id('a-reopen') };
  await deliver(reopen, c.deposit(id('d1'), a, '1000'), c.deposit(id('d2'), b, '500'));
  await deliver(c.deposit(id('d3'), cc, '400'), c.deposit(id('d4'), missing, '10'));
  await deliver(
    c.transfer(id('t1'), a, cc, '200'),
    c.transfer(id('t2'), b, a, '100'),
    c.transfer(id('t3'), a, b, '5000'),
    c.transfer(id('t4'), cc, a, '301'),
    c.transfer(id('t5'), a, a, '1'),
  );
  await deliver(c.freeze(d, 'credits', id('f1')), c.freeze(a, 'debits', id('f2')));
  await deliver(c.transfer(id('t6'), a, b, '1'), c.transfer(id('t7'), cc, d, '50'));
  await deliver(
    c.unfreeze(a, 'all', id('u1')),
    c.reserve(id('p1'), a, '300'),
    c.reserve(id('p2'), b, '200'),
    c.reserve(id('p3'), cc, '100'),
    c.reserve(id('p4'), cc, '20'),
  );
  // The same payment reserved again by another command: refused as a duplicate payment.
  const again = { ...c.reserve(id('p1'), a, '300'), id: id('p1-again') };
  await deliver(again, c.settle(id('p1'), a), c.release(id('p2'), b));
  await deliver(
    c.resolve(id('p3'), cc, 'settle'),
    c.resolve(id('p4'), cc, 'release'),
    c.settle(id('p2'), b),
  );
  // The bank returns the settled p3 (credited back once, though delivered twice) and, wrongly, the
  // released p4 (refused: not settled).
  await deliver(c.returnPayout(id('p3'), cc, '100'), c.returnPayout(id('p4'), cc, '20'));
  await deliver(c.returnPayout(id('p3'), cc, '100'));
  await deliver(
    c.adjust(id('j1'), cc, '30'),
    c.adjust(id('j2'), cc, '-10'),
    c.adjust(id('j3'), a, '-2000'),
    c.partnerDifference(id('g1'), cc, '2'),
    c.transfer(id('t8'), a, b, '640'),
    c.close(e, id('x1')),
    c.close(b, id('x2')),
  );
  await deliver(c.deposit(id('d5'), e, '5'), c.deposit(id('d1'), a, '1000'));
  await handler.reject(feed.batch(p0, c.deposit(id('d6'), a, '7')));
  return { accounts: new Map([...accounts].filter(([account]) => account !== missing)), missing };
}

/** One batch per partition in one group commit, then their follow-ups, until there are none. */
async function deliverAll(
  handler: ProcessCommandBatchHandler,
  feed: TestCommandFeed,
  partitionOf: (accountId: string) => number,
  commands: TestCommand[],
): Promise<void> {
  const byPartition = new Map<number, TestCommand[]>();
  for (const command of commands) {
    const partition = partitionOf(command.key);
    byPartition.set(partition, [...(byPartition.get(partition) ?? []), command]);
  }
  let batches = [...byPartition].map(([partition, each]) => feed.batch(partition, ...each));
  for (let round = 0; batches.length > 0; round += 1) {
    if (round > ROUNDS_MAX) throw new Error('follow-up commands did not come to an end');
    batches = feed.followUps(await handler.handleMany(batches), partitionOf);
  }
}
