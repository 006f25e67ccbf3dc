/** A claim of an Idempotency-Key for one operation, until its retention is over. */
export interface IdempotencyClaim {
  clientId: string;
  idempotencyKey: string;
  operation: string;
  fingerprint: string;
  expiresAt: Date;
}

/** Claimed; held by a request still in flight; or bound earlier to `resourceId`. */
export type ClaimResult =
  | { claimed: true }
  | { claimed: false; inFlight: true }
  | { claimed: false; inFlight: false; fingerprint: string; resourceId: string };
