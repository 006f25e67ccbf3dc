import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';

/** A response to a request that no route handler saw. */
export interface FrameworkErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An error as Node or Fastify raise it; `code` is theirs (`HPE_*`, `FST_ERR_*`). */
export interface FrameworkError {
  code?: string;
  message: string;
}

/**
 * How a service answers what Node and Fastify would otherwise answer with their own bodies. The
 * service decides the format (the gateway's is problem+json); this library only writes it.
 */
export interface FrameworkErrorResponses {
  /** Node's parser and timeout errors (`HPE_*`, `ERR_HTTP_REQUEST_TIMEOUT`), on the socket. */
  clientError(error: FrameworkError): FrameworkErrorResponse;
  /** Fastify's router errors (`FST_ERR_BAD_URL`, `FST_ERR_MAX_PARAM_LENGTH`). */
  routerError(error: FrameworkError, url: string): FrameworkErrorResponse;
  /** Every request that arrives once the service began to shut down. */
  shuttingDown(url: string): FrameworkErrorResponse;
}

/** Knows when Nest begins to shut down (before its shutdown hooks, long before Fastify closes). */
export class ShutdownAwareFastifyAdapter extends FastifyAdapter {
  shuttingDown = false;

  override beforeClose(): void {
    this.shuttingDown = true;
    super.beforeClose();
  }

  override async close(): Promise<void> {
    this.shuttingDown = true;
    await super.close();
  }
}

function send(reply: FastifyReply, response: FrameworkErrorResponse): void {
  reply.code(response.status).headers(response.headers).send(response.body);
}

function writeOnSocket(socket: Socket, response: FrameworkErrorResponse): void {
  const head = [
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`,
    ...Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(response.body)}`,
    'Connection: close',
  ];
  socket.write(`${head.join('\r\n')}\r\n\r\n${response.body}`);
}

/**
 * Fastify options that route its own error answers to `responses`. Fastify's `return503OnClosing`
 * is turned off because its body cannot be changed; `answerWhileShuttingDown` takes its place.
 * Nest's default `frameworkErrors` (which only adds security headers, unused here) is replaced.
 */
export function frameworkErrorOptions(
  responses: FrameworkErrorResponses,
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler' | 'return503OnClosing'> {
  return {
    return503OnClosing: false,
    frameworkErrors: (error, request, reply) =>
      send(reply, responses.routerError(error, request.url)),
    clientErrorHandler: (error, socket) => {
      // As Fastify's default: a reset connection has no one to answer; the socket is closed after.
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) writeOnSocket(socket, responses.clientError(error));
      socket.destroy(error);
    },
  };
}

/** Once shutting down, answers every request with `responses.shuttingDown` and closes it. */
export function answerWhileShuttingDown(
  instance: FastifyInstance,
  adapter: ShutdownAwareFastifyAdapter,
  responses: FrameworkErrorResponses,
): void {
  instance.addHook('onRequest', (request, reply, done) => {
    if (!adapter.shuttingDown) return done();
    reply.header('Connection', 'close');
    send(reply, responses.shuttingDown(request.url));
  });
}
