import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PartnerAdapterRuntime } from '../partner-adapter-runtime';

/**
 * `POST /webhooks/bank`: the body arrives as the raw text (the service's JSON parser keeps the
 * bytes, which the signature covers); a bad signature answers 401 and books nothing.
 */
@Controller('webhooks')
export class WebhooksController {
  constructor(@Inject(PartnerAdapterRuntime) private readonly runtime: PartnerAdapterRuntime) {}

  @Post('bank')
  @HttpCode(200)
  async bank(
    @Body() body: unknown,
    @Headers() headers: Record<string, string>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const raw = typeof body === 'string' ? body : '';
    const answer = await this.runtime.webhooks.receive(raw, headers);
    reply.status(answer.status);
    if (answer.problem) reply.type('application/problem+json');
    if (answer.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(answer.retryAfterSeconds));
    }
    return answer.body;
  }
}
