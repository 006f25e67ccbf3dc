import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BankProblem, BankProblemError, problemBody } from './bank-problems';
import { ConnectionDropped } from './fault-gate';

/** Fastify's own errors, by code. */
const FASTIFY_PROBLEMS: Record<string, Omit<BankProblem, 'detail'>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', title: 'Body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
};

function problemFor(exception: unknown): BankProblem | null {
  if (exception instanceof BankProblemError) return exception.problem;
  const code = (exception as { code?: unknown })?.code;
  if (typeof code === 'string' && FASTIFY_PROBLEMS[code]) {
    return { ...FASTIFY_PROBLEMS[code], detail: (exception as Error).message };
  }
  if (exception instanceof SyntaxError) {
    return { status: 400, code: 'malformed_json', title: 'Malformed JSON', detail: 'Not JSON.' };
  }
  if (exception instanceof HttpException) {
    const inner = exception.cause ? problemFor(exception.cause) : null;
    if (inner) return inner;
    const status = exception.getStatus();
    if (status === 404) {
      return { status: 404, code: 'route_not_found', title: 'Not found', detail: 'No such route.' };
    }
    if (status >= 400 && status < 500) {
      return { status: 400, code: 'bad_request', title: 'Bad request', detail: exception.message };
    }
  }
  return null;
}

/** Every error leaves as problem+json with a stable code; the unexpected as a retryable 503. */
@Catch()
export class BankProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('BankProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    // A connection dropped on purpose (an injected fault) has no one left to answer.
    if (exception instanceof ConnectionDropped || reply.raw.destroyed || reply.sent) return;
    let problem = problemFor(exception);
    if (!problem) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      problem = {
        status: 503,
        code: 'temporarily_unavailable',
        title: 'Temporarily unavailable',
        detail: 'Retry; it is safe with the same Idempotency-Key.',
      };
    }
    reply
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(problemBody(problem, request.url));
  }
}
