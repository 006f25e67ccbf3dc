/** What decides which refusals an operation can answer besides its own ones. */
export interface OperationTraits {
  path: string;
  auth: 'none' | 'client' | 'admin';
  body?: string;
  query?: unknown[];
  responses: Record<string, string | null>;
}

const PROBLEM = 'Problem';
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** Why each refusal that many operations share happens, for the document's readers. */
const DESCRIPTIONS: Record<string, string> = {
  '400':
    'The request is not valid (see `code`: validation_failed, malformed_json, duplicate_key, ' +
    'invalid_text, invalid_cursor, malformed_request...)',
  '401': 'unauthenticated: no API key, or an unknown one',
  '403': 'forbidden: the API key lacks the scope this operation needs',
  '404': 'Not found, or not visible to this API key',
  '409': 'A conflict (see `code`), e.g. idempotency_key_in_flight: retry after Retry-After',
  '413': 'body_too_large: the body is over 64 KiB',
  '414': 'uri_too_long: a path parameter is too long to be an id',
  '415': 'unsupported_media_type: the body is not application/json',
  '422': 'The request is well formed but cannot be carried out (see `code`)',
  '429': 'rate_limited: this API key sent more requests than its limit',
  '503': 'temporarily_unavailable or shutting_down: safe to retry, with the same Idempotency-Key',
};

/**
 * The refusals an operation can answer whatever it does: every request can meet a shutdown or an
 * unavailable dependency (503); a protected one an unknown key (401), a missing scope (403) or its
 * rate limit (429); a body can be malformed, too large or not JSON (400, 413, 415); a path
 * parameter can be too long (414) or carry a malformed percent escape (400); a query can be
 * invalid (400).
 */
export function standardStatuses(op: OperationTraits): string[] {
  const statuses = ['503'];
  if (op.auth !== 'none') statuses.push('401', '403', '429');
  if (op.body) statuses.push('400', '413', '415');
  if (op.query) statuses.push('400');
  if (op.path.includes('{')) statuses.push('400', '414');
  return statuses;
}

const mediaType = (schema: string) =>
  schema === PROBLEM ? 'application/problem+json' : 'application/json';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The operation's OpenAPI responses: its own, plus the standard refusals as problems. A status it
 * answers with another body too (readiness' 503) lists both media types.
 */
export function documentedResponses(op: OperationTraits): Record<string, object> {
  const schemas = new Map<string, Set<string>>();
  for (const [status, schema] of Object.entries(op.responses)) {
    const set = schemas.get(status) ?? new Set<string>();
    if (schema) set.add(schema);
    schemas.set(status, set);
  }
  for (const status of standardStatuses(op)) {
    schemas.set(status, (schemas.get(status) ?? new Set<string>()).add(PROBLEM));
  }
  const sorted = [...schemas.entries()].sort(([left], [right]) => Number(left) - Number(right));
  return Object.fromEntries(
    sorted.map(([status, names]) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? status,
        ...(['409', '429', '503'].includes(status) ? { headers: RETRY_AFTER } : {}),
        ...(names.size > 0
          ? {
              content: Object.fromEntries(
                [...names].map((name) => [mediaType(name), { schema: ref(name) }]),
              ),
            }
          : {}),
      },
    ]),
  );
}
