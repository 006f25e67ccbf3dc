import { BackoffPolicy, StatusTimes, backoffDelayMs } from '@rtp/partner-adapter/domain';

/** The timing rules of the adapter's decisions (all from the configuration). */
export interface DecisionSettings {
  /** Status queries of a pending payout: exponential with full jitter, bounded. */
  checkBackoff: BackoffPolicy;
  /** Retries of a request the bank provably never received (connection refused). */
  notSentBackoff: BackoffPolicy;
  notSentRetriesMax: number;
  /** How long a submission may take before the checker asks the bank instead (a crash during it). */
  submissionLeaseMs: number;
  returnWatchMs: number;
  returnCheckIntervalMs: number;
  /** [0, 1); seeded in tests. */
  random: () => number;
}

export function later(now: Date, delayMs: number): Date {
  return new Date(now.getTime() + delayMs);
}

/** The times applyBankStatus needs, the next check drawn for `checks` checks done. */
export function statusTimes(settings: DecisionSettings, now: Date, checks: number): StatusTimes {
  return {
    now,
    nextCheckAt: later(now, backoffDelayMs(settings.checkBackoff, checks + 1, settings.random)),
    returnWatchMs: settings.returnWatchMs,
    returnCheckIntervalMs: settings.returnCheckIntervalMs,
  };
}
