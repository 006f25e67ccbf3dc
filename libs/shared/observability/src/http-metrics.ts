import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';

/** The route label of a request no route matched: raw URLs would make the label set unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

const labelNames = ['method', 'route', 'status'] as const;

/** Every service's HTTP traffic (the `service` label is the registry's default label). */
export const httpMetrics = {
  requests: new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames,
  }),
  durationSeconds: new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to sending its answer, by route pattern and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
};

/** Records one answered request; `route` is the matched pattern (never the raw URL) or undefined. */
export function observeHttpRequest(
  method: string,
  route: string | undefined,
  status: number,
  elapsedMs: number,
): void {
  const labels = { method, route: route ?? UNMATCHED_ROUTE, status: String(status) };
  httpMetrics.requests.inc(labels);
  httpMetrics.durationSeconds.observe(labels, elapsedMs / 1_000);
}

/** Observes every answered request of a Fastify instance (Fastify's onResponse hook). */
export function observeHttpRequests(instance: FastifyInstance): void {
  // Fastify's route pattern (routeOptions.url) is undefined when no route matched.
  instance.addHook('onResponse', (request, reply, done) => {
    observeHttpRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime,
    );
    done();
  });
}
