import type {
  FrameworkError,
  FrameworkErrorResponse,
  FrameworkErrorResponses,
} from '@rtp/shared/observability';

import { HttpProblem } from './problems/http-problem';

export type { HttpProblem } from './problems/http-problem';

const PROBLEM_TYPE_BASE = 'https://docs.rtp.example/problems/';

const malformed = (detail: string): HttpProblem => ({
  status: 400,
  code: 'malformed_request',
  title: 'Malformed request',
  detail,
});

/** Node's HTTP parser errors (llhttp's codes), in words a client can act on. */
const PARSER_ERRORS: Record<string, string> = {
  HPE_INVALID_CONTENT_LENGTH: 'Content-Length must be a number of bytes, digits only.',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Send Content-Length or Transfer-Encoding: chunked, not both.',
  HPE_INVALID_HEADER_TOKEN: 'A header name or value contains a character HTTP does not allow.',
  HPE_INVALID_TRANSFER_ENCODING: 'Transfer-Encoding must end with chunked.',
  HPE_INVALID_CHUNK_SIZE: 'A chunk size is not hexadecimal.',
  HPE_INVALID_METHOD: 'The method is not valid HTTP.',
  HPE_INVALID_URL: 'The request target is not a valid URL.',
  HPE_INVALID_VERSION: 'The HTTP version is not valid.',
};

/** Errors Node raises while reading a request, before Fastify sees it. */
export function clientErrorProblem(error: FrameworkError): HttpProblem {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      code: 'headers_too_large',
      title: 'Request headers too large',
      detail: 'The request line and headers exceed 16 KiB.',
    };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      code: 'request_timeout',
      title: 'Request timeout',
      detail: 'The request was not received in time.',
    };
  }
  return malformed(PARSER_ERRORS[error.code ?? ''] ?? 'The request is not valid HTTP/1.1.');
}

/** Errors Fastify's router raises before it finds a route. */
export function routerErrorProblem(error: FrameworkError): HttpProblem {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return {
      status: 414,
      code: 'uri_too_long',
      title: 'URI too long',
      detail: 'A path parameter is too long to be an id.',
    };
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return malformed('The path has a malformed percent escape.');
  }
  return malformed('The request target cannot be routed.');
}

export const shuttingDownProblem = (): HttpProblem => ({
  status: 503,
  code: 'shutting_down',
  title: 'Shutting down',
  retryAfterSeconds: 1,
  detail: 'This gateway replica is shutting down; retry, it is safe with the same Idempotency-Key.',
});

/** The RFC 9457 document, its status and headers, for any problem. */
export function problemResponse(
  problem: HttpProblem,
  instance: string | undefined,
): FrameworkErrorResponse {
  const { status, code, title, detail, extra, retryAfterSeconds } = problem;
  // With the charset Fastify would add anyway, so that socket-level answers look the same.
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json; charset=utf-8',
  };
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  const document = {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title,
    status,
    detail,
    code,
    ...(instance === undefined ? {} : { instance }),
    ...extra,
  };
  return { status, headers, body: JSON.stringify(document) };
}

/** What the gateway answers instead of Node's and Fastify's own bodies. */
export const gatewayFrameworkErrors: FrameworkErrorResponses = {
  clientError: (error) => problemResponse(clientErrorProblem(error), undefined),
  routerError: (error, url) => problemResponse(routerErrorProblem(error), url),
  shuttingDown: (url) => problemResponse(shuttingDownProblem(), url),
};
