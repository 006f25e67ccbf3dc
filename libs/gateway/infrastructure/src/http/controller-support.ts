import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SubmitResult, isDecided } from '@rtp/gateway/application';
import { Result } from '@rtp/gateway/domain';
import { z } from 'zod';
import { RefusalError } from './problems/refusal-problem';
import { requireIdempotencyKey, waitMsFrom } from './request-headers';
import { idSchema, parseRequest } from './validation';

export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export interface GatewaySettings {
  paymentWaitMsDefault: number;
}

/** What a command endpoint reads of its request besides the caller: path id, body and headers. */
export interface CommandInput {
  id: string | undefined;
  body: unknown;
  idempotencyKey: string | undefined;
  prefer: string | undefined;
}

export const CommandRequest = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandInput => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    return {
      id: (request.params as Record<string, string> | undefined)?.id,
      body: request.body,
      idempotencyKey: header('idempotency-key'),
      prefer: header('prefer'),
    };
  },
);

/** The use case's value; its refusal goes to the problem filter, the one place that answers it. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new RefusalError(result.refusal);
  return result.value;
}

/** Whether a path parameter can be an id at all; one that cannot names nothing and is not read. */
export function isId(value: string): boolean {
  return idSchema.safeParse(value).success;
}

/**
 * 201 once the ledger decided (a transfer settled; a payout's funds held or refused), 202 while it
 * has not answered; a replay says so in a header.
 */
export function sendSubmitted(reply: FastifyReply, result: SubmitResult, body: object): object {
  reply.status(isDecided(result.payment) ? 201 : 202);
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  return body;
}

/**
 * A money-moving request as its use case takes it: the Idempotency-Key it must carry (checked
 * first), the body by `schema` with its `amount` as `amountMinor`, and the wait it prefers.
 */
export function moneyMovingRequest<S extends z.ZodType<{ amount: string }>>(
  input: CommandInput,
  schema: S,
  settings: GatewaySettings,
): {
  idempotencyKey: string;
  request: Omit<z.infer<S>, 'amount'> & { amountMinor: string };
  waitMs: number;
} {
  const idempotencyKey = requireIdempotencyKey(input.idempotencyKey);
  const { amount, ...rest } = parseRequest(schema, input.body);
  const waitMs = waitMsFrom(input.prefer, settings.paymentWaitMsDefault);
  return { idempotencyKey, request: { ...rest, amountMinor: amount }, waitMs };
}
