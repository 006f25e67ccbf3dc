import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemResponse } from './framework-problems';
import { HttpProblem, HttpProblemError, edgeProblems } from './problems/http-problem';
import { RefusalError, refusalProblem } from './problems/refusal-problem';

/** Fastify's own errors, by code, as stable problems. */
const FASTIFY_PROBLEMS: Record<string, Omit<HttpProblem, 'detail'>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body_too_large',
    title: 'Request body too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    title: 'Malformed JSON body',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    title: 'Malformed JSON body',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'malformed_request',
    title: 'Malformed request',
  },
};

function problemFor(exception: unknown): HttpProblem | null {
  if (exception instanceof RefusalError) return refusalProblem(exception.refusal);
  if (exception instanceof HttpProblemError) return exception.problem;
  const code = (exception as { code?: unknown })?.code;
  if (typeof code === 'string' && FASTIFY_PROBLEMS[code]) {
    return { ...FASTIFY_PROBLEMS[code], detail: (exception as Error).message };
  }
  if (
    exception instanceof SyntaxError ||
    (exception as { statusCode?: number })?.statusCode === 400
  ) {
    return {
      status: 400,
      code: 'malformed_json',
      title: 'Malformed JSON body',
      detail: 'The body is not valid JSON.',
    };
  }
  if (exception instanceof HttpException) {
    // Nest wraps Fastify's parser errors; the original carries the precise code.
    const inner = exception.cause ? problemFor(exception.cause) : null;
    if (inner) return inner;
    const status = exception.getStatus();
    if (status === 400 && /JSON/i.test(exception.message)) {
      return {
        status: 400,
        code: 'malformed_json',
        title: 'Malformed JSON body',
        detail: exception.message,
      };
    }
    if (status === 413) {
      return {
        status: 413,
        code: 'body_too_large',
        title: 'Request body too large',
        detail: exception.message,
      };
    }
    if (status === 404) {
      return { status: 404, code: 'route_not_found', title: 'Not found', detail: 'No such route.' };
    }
    if (status >= 400 && status < 500) {
      return {
        status: status as HttpProblem['status'],
        code: 'bad_request',
        title: 'Bad request',
        detail: exception.message,
      };
    }
  }
  return null;
}

/** Every error leaves as RFC 9457 application/problem+json with a stable `code`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    let problem = problemFor(exception);
    if (!problem) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      problem = edgeProblems.temporarilyUnavailable();
    }
    const { status, headers, body } = problemResponse(problem, request.url);
    reply.status(status).headers(headers).send(body);
  }
}
