import { randomBytes } from 'node:crypto';

/** Transfers are small so that the deposits, sized from the plan, cover every one of them. */
export const TRANSFER_AMOUNT_MINOR_MIN = 1;
export const TRANSFER_AMOUNT_MINOR_MAX = 999;
/** Extra money on every account beyond what the plan debits from it. */
const DEPOSIT_MARGIN_MINOR = 10_000;

export interface WorkloadOptions {
  accounts: number;
  hotAccounts: number;
  transfers: number;
  hotTransferShare: number;
  seed: number;
}

/**
 * The whole workload, decided before anything is sent: accounts 0..hotAccounts-1 are the hot
 * ones, and each deposit is the account's planned outgoing total plus a margin.
 */
export interface WorkloadPlan {
  /** Prefix of every id of this run, so a reused database never sees a duplicate id. */
  runId: string;
  accountIds: string[];
  hotAccounts: number;
  depositsMinor: number[];
  sourceIndex: Int32Array;
  destinationIndex: Int32Array;
  amountMinor: Int32Array;
  hotTransfers: number;
}

/** mulberry32: small, fast and reproducible from a 32-bit seed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function planWorkload(options: WorkloadOptions): WorkloadPlan {
  const random = randomSource(options.seed);
  const pick = (from: number, count: number) => from + Math.floor(random() * count);
  const runId = randomBytes(4).toString('hex');
  const width = String(options.accounts - 1).length;
  const accountIds = Array.from(
    { length: options.accounts },
    (_, index) => `bench-${runId}-account-${String(index).padStart(width, '0')}`,
  );
  const coldFirst = options.hotAccounts;
  const coldCount = options.accounts - options.hotAccounts;
  const sourceIndex = new Int32Array(options.transfers);
  const destinationIndex = new Int32Array(options.transfers);
  const amountMinor = new Int32Array(options.transfers);
  const outgoingMinor = new Float64Array(options.accounts);
  let hotTransfers = 0;
  for (let index = 0; index < options.transfers; index += 1) {
    let source = pick(coldFirst, coldCount);
    let destination = pick(coldFirst, coldCount - 1);
    if (destination >= source) destination += 1;
    if (random() < options.hotTransferShare) {
      hotTransfers += 1;
      const hot = pick(0, options.hotAccounts);
      if (random() < 0.5) source = hot;
      else destination = hot;
    }
    const amount = pick(
      TRANSFER_AMOUNT_MINOR_MIN,
      TRANSFER_AMOUNT_MINOR_MAX - TRANSFER_AMOUNT_MINOR_MIN + 1,
    );
    sourceIndex[index] = source;
    destinationIndex[index] = destination;
    amountMinor[index] = amount;
    outgoingMinor[source] += amount;
  }
  const depositsMinor = Array.from(outgoingMinor, (outgoing) => outgoing + DEPOSIT_MARGIN_MINOR);
  return {
    runId,
    accountIds,
    hotAccounts: options.hotAccounts,
    depositsMinor,
    sourceIndex,
    destinationIndex,
    amountMinor,
    hotTransfers,
  };
}

export function paymentId(plan: WorkloadPlan, index: number): string {
  return `bench-${plan.runId}-payment-${index}`;
}

/** The LIKE pattern matching the processed-command ids of this run's transfers. */
export function transferCommandPattern(plan: WorkloadPlan): string {
  return `transfer:bench-${plan.runId}-payment-%`;
}
