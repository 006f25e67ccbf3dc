/**
 * What a call to the bank tells us, whatever the transport did:
 * - `answered`: the bank's answer arrived (any status; the caller reads it);
 * - `unknown`: the request may have reached the bank and its answer was lost (a timeout, a reset
 *   connection, a 5xx after sending, the breaker's own timeout, which does not cancel the call);
 * - `not_sent`: the bank provably never received it (connection refused before anything was sent,
 *   or an open breaker that did not call at all).
 */
export type UnknownCause = 'timeout' | 'connection_reset' | 'server_error' | 'breaker_timeout';
export type NotSentCause = 'connection_refused' | 'breaker_open';

export type CallOutcome =
  | { kind: 'answered'; status: number; body: unknown }
  | { kind: 'unknown'; cause: UnknownCause; detail: string }
  | { kind: 'not_sent'; cause: NotSentCause; detail: string };

/** The facts of a failed call that classify it (error codes of Node, undici and opossum). */
export interface CallFailure {
  /** `code` of the error or of its `cause` (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EOPENBREAKER...). */
  code: string | undefined;
  /** `name` of the error (AbortError, TimeoutError). */
  name: string | undefined;
  message: string;
  /** Set when the bank answered 5xx (the breaker counts it as a failure). */
  status?: number;
  body?: unknown;
  /** True when it was the breaker's timeout, not the transport's. */
  breakerTimeout?: boolean;
}

const REFUSED_CODES = new Set(['ECONNREFUSED']);
const OPEN_CODES = new Set(['EOPENBREAKER', 'ESEMLOCKED', 'ESHUTDOWN']);
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Classifies a failed call. Anything not known to be `not_sent` is `unknown`: treating a request
 * the bank may have executed as never sent is how a payout is paid twice or failed while paid.
 */
export function classifyFailure(failure: CallFailure): CallOutcome {
  const detail = failure.code ? `${failure.code}: ${failure.message}` : failure.message;
  if (failure.status !== undefined && failure.status >= 500) {
    return { kind: 'unknown', cause: 'server_error', detail: `HTTP ${failure.status}` };
  }
  if (failure.code && OPEN_CODES.has(failure.code)) {
    return { kind: 'not_sent', cause: 'breaker_open', detail };
  }
  if (failure.code && REFUSED_CODES.has(failure.code)) {
    return { kind: 'not_sent', cause: 'connection_refused', detail };
  }
  if (failure.breakerTimeout) return { kind: 'unknown', cause: 'breaker_timeout', detail };
  if ((failure.name && TIMEOUT_NAMES.has(failure.name)) || TIMEOUT_CODES.has(failure.code ?? '')) {
    return { kind: 'unknown', cause: 'timeout', detail };
  }
  return { kind: 'unknown', cause: 'connection_reset', detail };
}

/** The label of an outcome in metrics and the attempts table: bounded values only. */
export function outcomeLabel(outcome: CallOutcome): string {
  if (outcome.kind === 'answered') return `answered_${Math.floor(outcome.status / 100)}xx`;
  return `${outcome.kind}_${outcome.cause}`;
}
