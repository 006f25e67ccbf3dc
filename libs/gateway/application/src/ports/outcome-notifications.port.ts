/** Publishes queued outbox commands now (a background relay retries whatever this misses). */
export interface CommandRelay {
  flush(): Promise<void>;
}

export interface WaitOptions {
  /**
   * Look at the read model before the first sleep: the change may have been made before the watch
   * began (a replayed request, or a command sent before watching).
   */
  lookFirst: boolean;
}

/**
 * A payment's terminal outcome as the projection told it, in the notification of the transaction
 * that stored it: what a read of the payment right after that commit would have found.
 */
export interface PaymentOutcome {
  status: 'completed' | 'rejected';
  failureCode: string | null;
  failedLeg: 'debit' | 'credit' | null;
  updatedAt: Date;
}

/** One request's watch over the read model of one resource, from `watch` until `close`. */
export interface OutcomeWatch {
  /** The payment outcome a notification told this watch, if one did (only terminal ones are). */
  told(): PaymentOutcome | null;
  /**
   * Resolves once `isSettled` answers true, or once `timeoutMs` is over (then right after a last
   * look). Looks only when told of a change (also one told after `watch` but before this call),
   * when changes may go untold (polling), at the end, and first too with `lookFirst`. A watch the
   * bound of watches per resource refused, or a `timeoutMs` of 0, resolves at once without looking.
   */
  wait(timeoutMs: number, isSettled: () => Promise<boolean>, options: WaitOptions): Promise<void>;
  close(): void;
}

/** Tells requests when the read model of a resource may have changed. */
export interface OutcomeNotifications {
  /** From now on, until closed, no change of `resourceId` goes unnoticed by the watch. */
  watch(resourceId: string): OutcomeWatch;
}
