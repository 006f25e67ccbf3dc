import { timingSafeEqual, createHash } from 'node:crypto';
import type { ZodError } from 'zod';

const PROBLEM_TYPE_BASE = 'https://sandbox-bank.rtp.example/problems/';

export interface BankProblem {
  status: 400 | 401 | 404 | 406 | 413 | 415 | 422 | 503;
  code: string;
  title: string;
  detail: string;
  extra?: Record<string, unknown>;
}

/** A refusal, thrown to the problem filter, answered as RFC 9457 problem+json. */
export class BankProblemError extends Error {
  constructor(readonly problem: BankProblem) {
    super(problem.detail);
    this.name = 'BankProblemError';
  }
}

export const refuse = (problem: BankProblem): never => {
  throw new BankProblemError(problem);
};

export function problemBody(problem: BankProblem, instance: string | undefined): string {
  return JSON.stringify({
    type: `${PROBLEM_TYPE_BASE}${problem.code}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    ...(instance === undefined ? {} : { instance }),
    ...problem.extra,
  });
}

export function invalidRequest(error: ZodError): BankProblem {
  const errors = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  return {
    status: 422,
    code: 'invalid_request',
    title: 'Invalid request',
    detail: errors.map((item) => `${item.path || 'body'}: ${item.message}`).join('; '),
    extra: { errors },
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <key>` against the expected key, in constant time; 401 otherwise. */
export function requireBearer(header: string | undefined, expected: string, what: string): void {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (match && timingSafeEqual(digest(match[1]), digest(expected))) return;
  refuse({
    status: 401,
    code: 'unauthenticated',
    title: 'Unauthenticated',
    detail: `Send the ${what} as Authorization: Bearer <key>.`,
  });
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKey(header: unknown, required: boolean): string | null {
  if (header === undefined && !required) return null;
  if (typeof header === 'string' && IDEMPOTENCY_KEY.test(header)) return header;
  return refuse({
    status: 400,
    code: 'idempotency_key_required',
    title: 'Idempotency-Key header required',
    detail: 'Send an Idempotency-Key header of 1 to 255 printable characters.',
  });
}
