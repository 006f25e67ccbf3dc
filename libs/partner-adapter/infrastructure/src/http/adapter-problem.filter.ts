import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AdapterProblem,
  AdapterProblemError,
  PROBLEM_MEDIA_TYPE,
  RETRY_AFTER_SECONDS,
  UNAVAILABLE,
  problemBody,
} from './adapter-problems';

/** Fastify's own errors, by code: all of them about the request, none a 5xx. */
const FASTIFY_PROBLEMS: Record<string, Omit<AdapterProblem, 'detail'>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', title: 'Body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'malformed_request',
    title: 'Malformed request',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
};

/** Nest's and Fastify's refusals, by status, when they carry no code of ours. */
const STATUS_PROBLEMS: Record<number, Omit<AdapterProblem, 'status' | 'detail'>> = {
  404: { code: 'route_not_found', title: 'Not found' },
  405: { code: 'method_not_allowed', title: 'Method not allowed' },
  413: { code: 'body_too_large', title: 'Body too large' },
  415: { code: 'unsupported_media_type', title: 'Unsupported media type' },
};

function httpProblem(exception: HttpException): AdapterProblem {
  const status = exception.getStatus();
  const answer = exception.getResponse() as { code?: unknown; title?: unknown; detail?: unknown };
  if (typeof answer === 'object' && typeof answer.code === 'string') {
    return {
      status,
      code: answer.code,
      title: String(answer.title ?? 'Error'),
      detail: String(answer.detail ?? ''),
    };
  }
  const known = STATUS_PROBLEMS[status];
  if (known) return { status, ...known, detail: exception.message };
  return { status: 400, code: 'bad_request', title: 'Bad request', detail: exception.message };
}

/** The problem for an error about the request; null for anything unexpected. */
export function problemFor(exception: unknown): AdapterProblem | null {
  if (exception instanceof AdapterProblemError) return exception.problem;
  const code = (exception as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && FASTIFY_PROBLEMS[code]) {
    return { ...FASTIFY_PROBLEMS[code], detail: (exception as Error).message };
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    return httpProblem(exception);
  }
  return null;
}

/**
 * Every answer that is not a route's own leaves as problem+json with a stable code: input errors
 * as 4xx, anything unexpected (a database failure) as a retryable 503, never Nest's default 500.
 */
@Catch()
export class AdapterProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdapterProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (reply.raw.destroyed || reply.sent) return;
    let problem = problemFor(exception);
    if (!problem) {
      this.logger.error(
        `unexpected error answered 503: ${exception instanceof Error ? exception.stack : String(exception)}`,
      );
      problem = UNAVAILABLE;
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    }
    reply
      .status(problem.status)
      .header('content-type', PROBLEM_MEDIA_TYPE)
      .send(problemBody(problem, request.url.split('?')[0]));
  }
}
