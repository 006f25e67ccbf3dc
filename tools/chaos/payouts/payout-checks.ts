import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { payoutEndToEndId } from '@rtp/contracts';
import { Check } from '../chaos-checks';
import { PayoutRecord } from './payout-load';

const TERMINAL = new Set(['completed', 'failed', 'rejected', 'returned']);
const DRAIN_POLL_MS = 500;
const SHOWN_MAX = 5;

export const sample = (items: string[]) =>
  items.slice(0, SHOWN_MAX).join(', ') +
  (items.length > SHOWN_MAX ? `, ... (${items.length})` : '');
const listed = (items: string[]) => (items.length > 0 ? `: ${sample(items)}` : '');

export const accepted = (payouts: PayoutRecord[]) =>
  payouts.filter((payout) => payout.paymentIds.length > 0);

const idsOf = (payouts: PayoutRecord[]) => accepted(payouts).map((payout) => payout.paymentIds[0]);

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${count} ${value}`).join(', ');
}

/** The gateway's status of each payout (its read model), into `finalStatus`. */
export async function readStatuses(database: Pool, payouts: PayoutRecord[]): Promise<void> {
  const rows = (
    await database.query<{ payment_id: string; status: string }>(
      'SELECT payment_id, status FROM gateway.payments WHERE payment_id = ANY($1::text[])',
      [idsOf(payouts)],
    )
  ).rows;
  const statuses = new Map(rows.map((row) => [row.payment_id, row.status]));
  for (const payout of accepted(payouts)) {
    payout.finalStatus = statuses.get(payout.paymentIds[0]) ?? 'missing';
  }
}

/** Polls the statuses until every accepted payout is terminal or the deadline passes. */
export async function drainPayouts(
  database: Pool,
  payouts: PayoutRecord[],
  deadlineMs: number,
  clock: () => number,
): Promise<number> {
  const startedMs = clock();
  for (;;) {
    await readStatuses(database, payouts);
    const open = accepted(payouts).filter((payout) => !TERMINAL.has(payout.finalStatus ?? ''));
    if (open.length === 0 || clock() > deadlineMs) return (clock() - startedMs) / 1_000;
    await sleep(DRAIN_POLL_MS);
  }
}

/** Every key accepted once (after retries), never with two payments. */
export function acceptanceCheck(payouts: PayoutRecord[]): Check {
  const refused = payouts.filter((payout) => payout.refusal !== null);
  const never = payouts.filter((payout) => payout.paymentIds.length === 0 && !payout.refusal);
  const twice = payouts.filter((payout) => payout.paymentIds.length > 1);
  return {
    name: 'every payout key accepted once (201/202 after retries)',
    passed: refused.length + never.length + twice.length === 0,
    detail:
      `${payouts.length} keys, ${refused.length} refused${listed(refused.map((p) => p.refusal!))}` +
      `, ${never.length} never accepted, ${twice.length} with two payment ids`,
  };
}

/**
 * While the faults were on: each accepted payout terminal in the ledger (its hold settled or
 * released, or the payout rejected) or pending with its funds held (an open hold of its amount).
 */
export async function heldDuringFaultsCheck(
  database: Pool,
  payouts: PayoutRecord[],
  phase: string,
): Promise<Check> {
  const rows = (
    await database.query<{ hold_id: string; amount_minor: string; outcome: string | null }>(
      `SELECT h.hold_id, h.amount_minor, o.outcome FROM ledger.holds h
       LEFT JOIN ledger.hold_outcomes o USING (hold_id) WHERE h.hold_id = ANY($1::text[])`,
      [idsOf(payouts)],
    )
  ).rows;
  await readStatuses(database, payouts);
  const holds = new Map(rows.map((row) => [row.hold_id, row]));
  const states: string[] = [];
  const wrong: string[] = [];
  for (const payout of accepted(payouts)) {
    const hold = holds.get(payout.paymentIds[0]);
    if (!hold) {
      const rejected = payout.finalStatus === 'rejected';
      states.push(rejected ? 'rejected' : 'no hold');
      if (!rejected) wrong.push(`${payout.paymentIds[0]} ${payout.finalStatus}, no hold`);
      continue;
    }
    states.push(hold.outcome ?? 'held');
    if (BigInt(hold.amount_minor) !== BigInt(payout.amountMinor)) {
      wrong.push(`${payout.paymentIds[0]} holds ${hold.amount_minor} of ${payout.amountMinor}`);
    }
  }
  return {
    name: `${phase}: during the faults each payout terminal or pending with its funds held`,
    passed: wrong.length === 0,
    detail: `${countBy(states)}${wrong.length > 0 ? `; wrong${listed(wrong)}` : ''}`,
  };
}

export function terminalCheck(payouts: PayoutRecord[], phase: string): Check {
  const statuses = accepted(payouts).map((payout) => payout.finalStatus ?? 'unread');
  const open = accepted(payouts).filter((payout) => !TERMINAL.has(payout.finalStatus ?? ''));
  return {
    name: `${phase}: after healing every payout terminal`,
    passed: open.length === 0 && statuses.length > 0,
    detail:
      `${countBy(statuses) || 'no payouts'}` +
      (open.length > 0 ? `; open${listed(open.map((p) => p.paymentIds[0]))}` : ''),
  };
}

interface BankTransfer {
  transfer_id: string;
  end_to_end_id: string;
  status: string;
  keys: string[];
}

/**
 * At the bank: at most one transfer per end-to-end id, each under exactly one Idempotency-Key, the
 * payout's id; every transfer is one of our payouts and the adapter recorded that transfer's id.
 * In the ledger: a settled hold has a booked transfer, a released one none that was booked.
 */
export async function bankChecks(
  database: Pool,
  payouts: PayoutRecord[],
): Promise<{ checks: Check[]; transfersOf: Map<string, number> }> {
  const transfers = (
    await database.query<BankTransfer>(
      `SELECT t.transfer_id, t.end_to_end_id, t.status,
              array_remove(array_agg(k.idempotency_key), NULL) AS keys
       FROM sandbox_bank.transfers t
       LEFT JOIN sandbox_bank.idempotency_keys k
         ON k.scope = 'transfer' AND k.resource_id = t.transfer_id
       GROUP BY t.transfer_id`,
    )
  ).rows;
  const byEndToEnd = new Map<string, string>(
    idsOf(payouts).map((id) => [payoutEndToEndId(id), id]),
  );
  const perPayout = new Map<string, BankTransfer[]>();
  const strangers: string[] = [];
  for (const transfer of transfers) {
    const paymentId = byEndToEnd.get(transfer.end_to_end_id);
    if (!paymentId || transfer.keys.length !== 1 || transfer.keys[0] !== paymentId) {
      strangers.push(`${transfer.transfer_id} e2e ${transfer.end_to_end_id} keys ${transfer.keys}`);
      continue;
    }
    perPayout.set(paymentId, [...(perPayout.get(paymentId) ?? []), transfer]);
  }
  const doubled = [...perPayout].filter(([, list]) => list.length > 1).map(([id]) => id);
  const recorded = new Map(
    (
      await database.query<{ payment_id: string; bank_transfer_id: string | null }>(
        `SELECT payment_id, bank_transfer_id FROM partner_adapter.payouts
         WHERE payment_id = ANY($1::text[])`,
        [idsOf(payouts)],
      )
    ).rows.map((row) => [row.payment_id, row.bank_transfer_id]),
  );
  const unrecorded = [...perPayout]
    .filter(([id, [first]]) => recorded.get(id) !== first.transfer_id)
    .map(([id]) => `${id} adapter has ${recorded.get(id)}`);
  const checks = [
    {
      name: 'no double transfer at the bank (one per end-to-end id, one key each)',
      passed: doubled.length === 0,
      detail:
        `${transfers.length} transfers for ${perPayout.size} payouts; ` +
        `${doubled.length} payouts with two or more${listed(doubled)}`,
    },
    {
      name: 'every bank transfer maps to exactly one payout (key = payout id, id recorded)',
      passed: strangers.length + unrecorded.length === 0,
      detail:
        `${strangers.length} transfers of no payout or under another key${listed(strangers)}; ` +
        `${unrecorded.length} not recorded by the adapter${listed(unrecorded)}`,
    },
    await outcomeCheck(database, payouts, perPayout),
  ];
  const transfersOf = new Map([...perPayout].map(([id, list]) => [id, list.length]));
  return { checks, transfersOf };
}

async function outcomeCheck(
  database: Pool,
  payouts: PayoutRecord[],
  perPayout: Map<string, BankTransfer[]>,
): Promise<Check> {
  const outcomes = new Map(
    (
      await database.query<{ hold_id: string; outcome: string | null }>(
        `SELECT h.hold_id, o.outcome FROM ledger.holds h
         LEFT JOIN ledger.hold_outcomes o USING (hold_id) WHERE h.hold_id = ANY($1::text[])`,
        [idsOf(payouts)],
      )
    ).rows.map((row) => [row.hold_id, row.outcome ?? 'held']),
  );
  const wrong: string[] = [];
  for (const id of idsOf(payouts)) {
    const outcome = outcomes.get(id);
    if (outcome === undefined) continue;
    const bank = perPayout.get(id)?.[0]?.status ?? 'none';
    const booked = bank === 'booked' || bank === 'returned';
    const agrees = outcome === 'settled' ? booked : outcome === 'released' && !booked;
    if (!agrees) wrong.push(`${id} ledger ${outcome}, bank ${bank}`);
  }
  return {
    name: 'the ledger settled exactly the payouts the bank booked (released the others)',
    passed: wrong.length === 0,
    detail: `${outcomes.size} holds; ${wrong.length} disagree${listed(wrong)}`,
  };
}
