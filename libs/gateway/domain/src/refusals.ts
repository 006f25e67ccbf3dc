/**
 * The expected refusals of the gateway's use cases, as plain values with stable codes. They carry
 * what a reader needs to know and nothing about transport: only the HTTP edge gives each one a
 * status, a problem type, a title and words (libs/gateway/infrastructure/src/http/problems).
 */
export type GatewayRefusal =
  /** No account of this id is visible to the caller (it may exist for another client). */
  | { code: 'account_not_found'; accountId: string }
  | { code: 'payment_not_found'; paymentId: string }
  /** The same whether the account does not exist or only refuses this caller's credits. */
  | { code: 'destination_account_not_found'; accountId: string }
  /** Only the owner changes an account's settings, not even the admin. */
  | { code: 'not_account_owner'; accountId: string }
  /**
   * The request's currency is not the account's; `account` is null when the caller may not learn
   * the currency of the account (another client's destination).
   */
  | {
      code: 'currency_mismatch';
      operation: 'payment' | 'deposit' | 'payout';
      currency: string;
      account: { id: string; currency: string } | null;
    }
  | { code: 'amount_too_large'; amountMinorMax: bigint }
  /** A payout's beneficiary IBAN is not a valid IBAN (country, length, format, check digits). */
  | { code: 'invalid_iban' }
  /** A payout's beneficiary BIC, given, is not a valid BIC. */
  | { code: 'invalid_bic' }
  /** Another request with this key is still being accepted. */
  | { code: 'idempotency_key_in_flight' }
  /** The key was first used with another request. */
  | { code: 'idempotency_key_reused' }
  /** The request could not be accepted in time; it is safe to retry with the same key. */
  | { code: 'not_accepted' }
  /** The ledger refused an account action with its own code; `replayed` as for an answer. */
  | { code: 'ledger_refused'; failureCode: string; replayed: boolean }
  /** Only the bootstrap admin key (ADMIN_API_KEY) creates operators: no operator makes another. */
  | { code: 'bootstrap_admin_required' }
  /** A review action must name a person: it needs an operator's own key, not the shared one. */
  | { code: 'operator_required' }
  | { code: 'operator_exists'; name: string }
  | { code: 'operator_not_found'; name: string }
  | { code: 'exception_not_found'; exceptionId: string }
  | { code: 'proposal_not_found'; exceptionId: string; proposalId: string }
  /** The exception is resolved, or already has a proposal waiting for its checker. */
  | { code: 'exception_not_open'; exceptionId: string; status: string }
  | { code: 'proposal_not_pending'; proposalId: string; status: string }
  /** Maker-checker: the proposal's own author may not approve or decline it. */
  | { code: 'same_actor'; proposalId: string }
  /** A webhook URL refused: not https, credentials, or a host that is or resolves to inside. */
  | { code: 'webhook_url_forbidden'; reason: string }
  | { code: 'webhook_endpoint_not_found'; endpointId: string }
  | { code: 'webhook_endpoints_limit'; endpointsMax: number }
  | { code: 'webhook_delivery_not_found'; deliveryId: string }
  /** A delivery is retried only once it has succeeded or failed for good. */
  | { code: 'webhook_delivery_pending'; deliveryId: string };

export type RefusalCode = GatewayRefusal['code'];

/** A use case's outcome: its value, or the refusal the caller gets instead. */
export type Result<T> = { ok: true; value: T } | { ok: false; refusal: GatewayRefusal };

export const succeeded = <T>(value: T): Result<T> => ({ ok: true, value });

export const refused = (refusal: GatewayRefusal): { ok: false; refusal: GatewayRefusal } => ({
  ok: false,
  refusal,
});
