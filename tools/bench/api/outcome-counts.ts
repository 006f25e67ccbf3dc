import { increment } from '../harness/request-outcomes';

/** How each scheduled request ended. */
export interface OutcomeCounts {
  /** 201 with status `completed`: confirmed end to end within the wait. */
  completed: number;
  /** 201 with status `rejected` (insufficient funds, frozen ...): also a final answer. */
  rejected: number;
  /** 202 `processing`: the wait ran out before the ledger's outcome was projected. */
  accepted: number;
  clientErrors: number;
  serverErrors: number;
  /** Any other status (1xx, 3xx, a 201 without a known payment status). */
  otherStatuses: number;
  /** No HTTP answer: connection error or timeout. */
  networkErrors: number;
  /** Due while the outstanding bound was reached: never sent. */
  dropped: number;
}

export interface OutcomeDetails {
  /** `failureCode` of 201 rejected payments. */
  failureCodes: Record<string, number>;
  /** `<status> <problem code>` of 4xx and 5xx answers, e.g. `503 temporarily_unavailable`. */
  problems: Record<string, number>;
  /** Error codes of requests without an answer, e.g. `UND_ERR_HEADERS_TIMEOUT`. */
  networkErrors: Record<string, number>;
}

export function emptyCounts(): OutcomeCounts {
  return {
    completed: 0,
    rejected: 0,
    accepted: 0,
    clientErrors: 0,
    serverErrors: 0,
    otherStatuses: 0,
    networkErrors: 0,
    dropped: 0,
  };
}

export function emptyDetails(): OutcomeDetails {
  return { failureCodes: {}, problems: {}, networkErrors: {} };
}

interface PaymentBody {
  id?: unknown;
  status?: unknown;
  failureCode?: unknown;
  code?: unknown;
}

function parseBody(text: string): PaymentBody {
  try {
    const body = JSON.parse(text) as unknown;
    return typeof body === 'object' && body !== null ? (body as PaymentBody) : {};
  } catch {
    return {};
  }
}

/** Classifies one answer; returns the payment id of a 202, whose fate is checked later. */
export function classifyAnswer(
  statusCode: number,
  text: string,
  counts: OutcomeCounts,
  details: OutcomeDetails,
): string | null {
  const body = parseBody(text);
  if (statusCode === 201 && body.status === 'completed') {
    counts.completed += 1;
  } else if (statusCode === 201 && body.status === 'rejected') {
    counts.rejected += 1;
    increment(details.failureCodes, String(body.failureCode ?? 'unknown'));
  } else if (statusCode === 202) {
    counts.accepted += 1;
    return typeof body.id === 'string' ? body.id : null;
  } else if (statusCode >= 400 && statusCode < 600) {
    if (statusCode < 500) counts.clientErrors += 1;
    else counts.serverErrors += 1;
    increment(details.problems, `${statusCode} ${String(body.code ?? 'no_code')}`);
  } else {
    counts.otherStatuses += 1;
    increment(details.problems, `${statusCode} ${String(body.status ?? 'unexpected')}`);
  }
  return null;
}
