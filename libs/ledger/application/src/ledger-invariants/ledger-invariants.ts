import { AccountState, availableMinor } from '@rtp/ledger/domain';
import { BatchWrite } from '../process-command-batch/ledger-store.port';

/** The continuous invariants, by the names the metrics and alerts use. */
export const LEDGER_INVARIANTS = [
  'entries_sum_zero',
  'transit_equals_in_flight',
  'no_negative_available',
  'holds_within_posted',
] as const;
export type LedgerInvariant = (typeof LEDGER_INVARIANTS)[number];

/** What the database holds when the accumulator starts (read once, before any batch). */
export interface LedgerInvariantsStart {
  entriesSumMinor: Map<string, bigint>;
  transitMinor: Map<string, bigint>;
  inFlightMinor: Map<string, bigint>;
  /** Accounts whose available balance is below their overdraft limit (zero when they have none). */
  negativeAvailable: Iterable<string>;
  /** Accounts whose pending balance is not their open holds' sum, negative, or beyond posted. */
  holdsBeyondPosted: Iterable<string>;
}

export interface CurrencyFigures {
  currency: string;
  entriesSumMinor: bigint;
  transitMinor: bigint;
  inFlightMinor: bigint;
}

/** The subset of a committed batch the invariants follow: its journals' entries, events, accounts. */
export type CommittedBatch = Pick<BatchWrite, 'accounts' | 'entries' | 'events'>;

const IN_FLIGHT_SIGN: Record<string, bigint> = {
  TransferDebited: 1n,
  TransferCompleted: -1n,
  TransferRefunded: -1n,
};

const add = (figures: Map<string, bigint>, currency: string, amountMinor: bigint) =>
  figures.set(currency, (figures.get(currency) ?? 0n) + amountMinor);

/** Available below the overdraft limit (below zero on an account without overdraft). */
export function isBelowOverdraft(account: AccountState): boolean {
  return (
    account.overdraftLimitMinor !== null && availableMinor(account) < -account.overdraftLimitMinor
  );
}

/** Pending must be the open holds' sum, never negative, and covered by posted plus overdraft. */
export function holdsExceedPosted(account: AccountState): boolean {
  let holdsMinor = 0n;
  for (const hold of account.holds.values()) holdsMinor += hold.amountMinor;
  const pending = account.pendingMinor;
  if (pending < 0n || pending !== holdsMinor) return true;
  return (
    account.overdraftLimitMinor !== null &&
    pending > account.postedMinor + account.overdraftLimitMinor
  );
}

/**
 * The ledger's continuous invariants, kept up to date from each committed batch (what the batch
 * already holds in memory: its entries, its events, its accounts' new states), starting from the
 * database's figures read once. Per currency, the entries' sum and the transit shards' balance
 * change by the batch's entries, the money in flight by its transfer events; the accounts the batch
 * changed are checked again. With several ledger processes each follows its own batches: a journal
 * balances and a transfer's leg moves transit and in-flight together within one batch, so each
 * process's figures keep the invariants whichever partitions it owns.
 */
export class LedgerInvariants {
  private readonly entriesSum: Map<string, bigint>;
  private readonly transit: Map<string, bigint>;
  private readonly inFlight: Map<string, bigint>;
  private readonly negativeAvailable: Set<string>;
  private readonly holdsBeyondPosted: Set<string>;

  constructor(start: LedgerInvariantsStart) {
    this.entriesSum = new Map(start.entriesSumMinor);
    this.transit = new Map(start.transitMinor);
    this.inFlight = new Map(start.inFlightMinor);
    this.negativeAvailable = new Set(start.negativeAvailable);
    this.holdsBeyondPosted = new Set(start.holdsBeyondPosted);
  }

  /** Called once per committed batch, after its transaction committed. */
  committed(batch: CommittedBatch): void {
    const transitAccounts = new Set<string>();
    for (const account of batch.accounts) {
      if (account.kind === 'transit') transitAccounts.add(account.accountId);
      this.mark(this.negativeAvailable, account.accountId, isBelowOverdraft(account));
      this.mark(this.holdsBeyondPosted, account.accountId, holdsExceedPosted(account));
    }
    for (const entry of batch.entries) {
      add(this.entriesSum, entry.currency, entry.amountMinor);
      if (transitAccounts.has(entry.accountId))
        add(this.transit, entry.currency, entry.amountMinor);
    }
    for (const event of batch.events) {
      const sign = IN_FLIGHT_SIGN[event.type];
      if (sign === undefined) continue;
      const data = JSON.parse(event.dataJson) as { currency: string; amountMinor: string };
      add(this.inFlight, data.currency, sign * BigInt(data.amountMinor));
    }
  }

  violated(): Record<LedgerInvariant, boolean> {
    const currencies = this.currencies();
    return {
      entries_sum_zero: currencies.some((figures) => figures.entriesSumMinor !== 0n),
      transit_equals_in_flight: currencies.some(
        (figures) => figures.transitMinor !== figures.inFlightMinor,
      ),
      no_negative_available: this.negativeAvailable.size > 0,
      holds_within_posted: this.holdsBeyondPosted.size > 0,
    };
  }

  currencies(): CurrencyFigures[] {
    const names = new Set([
      ...this.entriesSum.keys(),
      ...this.transit.keys(),
      ...this.inFlight.keys(),
    ]);
    return [...names].sort().map((currency) => ({
      currency,
      entriesSumMinor: this.entriesSum.get(currency) ?? 0n,
      transitMinor: this.transit.get(currency) ?? 0n,
      inFlightMinor: this.inFlight.get(currency) ?? 0n,
    }));
  }

  private mark(accounts: Set<string>, accountId: string, violating: boolean): void {
    if (violating) accounts.add(accountId);
    else accounts.delete(accountId);
  }
}
