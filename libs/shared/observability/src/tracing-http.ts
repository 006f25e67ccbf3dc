import { FastifyInstance } from 'fastify';
import { inTrace } from '@rtp/shared/tracing';

/**
 * Every request runs in a span of its own: a child of the caller's `traceparent` header when it
 * sends a valid one, else the root of a new trace. The hook is preHandler (after the body is
 * parsed), so the route's guards, handler and every log line they write run in that context.
 */
export function traceHttpRequests(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    const header = request.headers.traceparent;
    const traceparent = typeof header === 'string' ? header : null;
    inTrace(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`, traceparent, () =>
      done(),
    );
  });
}
