import type {
  FrameworkError,
  FrameworkErrorResponse,
  FrameworkErrorResponses,
} from '@rtp/shared/observability';

/** An RFC 9457 problem with the adapter's stable `code`. */
export interface AdapterProblem {
  status: number;
  code: string;
  title: string;
  detail: string;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json; charset=utf-8';

export function problemBody(problem: AdapterProblem, instance?: string): Record<string, unknown> {
  return {
    type: `https://rtp.example/problems/${problem.code}`,
    title: problem.title,
    status: problem.status,
    code: problem.code,
    detail: problem.detail,
    ...(instance === undefined ? {} : { instance }),
  };
}

/**
 * What the adapter answers when something it does not expect fails (its database away, say):
 * 503, so the bank redelivers the webhook later under the same webhook-id (nothing was booked:
 * the receipt and its effects commit together or not at all).
 */
export const UNAVAILABLE: AdapterProblem = {
  status: 503,
  code: 'temporarily_unavailable',
  title: 'Temporarily unavailable',
  detail: 'Nothing was recorded; retry later (a webhook is safe to redeliver under its id).',
};

/** The Retry-After of a 503, in seconds. */
export const RETRY_AFTER_SECONDS = 1;

/** Thrown by a route for input it refuses; answered as the problem it carries. */
export class AdapterProblemError extends Error {
  constructor(readonly problem: AdapterProblem) {
    super(problem.detail);
  }
}

function response(problem: AdapterProblem, instance?: string): FrameworkErrorResponse {
  const headers: Record<string, string> = { 'content-type': PROBLEM_MEDIA_TYPE };
  if (problem.status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
  return { status: problem.status, headers, body: JSON.stringify(problemBody(problem, instance)) };
}

/** Node's and Fastify's own errors, as problems (never their plain-text or JSON bodies). */
export const adapterFrameworkErrors: FrameworkErrorResponses = {
  clientError: (error: FrameworkError) =>
    error.code === 'HPE_HEADER_OVERFLOW'
      ? response({
          status: 431,
          code: 'headers_too_large',
          title: 'Request headers too large',
          detail: 'The request line and headers are too large.',
        })
      : response({
          status: 400,
          code: 'malformed_request',
          title: 'Malformed request',
          detail: 'The request is not valid HTTP/1.1.',
        }),
  routerError: (_error: FrameworkError, url: string) =>
    response(
      { status: 400, code: 'malformed_request', title: 'Malformed request', detail: 'Bad URL.' },
      url,
    ),
  shuttingDown: (url: string) =>
    response(
      { ...UNAVAILABLE, code: 'shutting_down', detail: 'The adapter is shutting down; retry.' },
      url,
    ),
};
