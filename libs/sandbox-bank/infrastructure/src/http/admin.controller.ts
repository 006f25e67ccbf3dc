import { Body, Controller, Get, Headers, Inject, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sandboxCreditRequestSchema } from '@rtp/contracts';
import { faultSettingsSchema } from '@rtp/sandbox-bank/domain';
import { SandboxBankRuntime } from '../bank-runtime';
import { idempotencyKey, invalidRequest, refuse, requireBearer } from './bank-problems';

/** The operator's side of the sandbox (its own key, never disturbed by faults). */
@Controller('admin')
export class AdminController {
  constructor(@Inject(SandboxBankRuntime) private readonly bank: SandboxBankRuntime) {}

  private authenticate(authorization: string | undefined): void {
    requireBearer(authorization, this.bank.options.adminKey, 'sandbox bank admin key');
  }

  @Get('faults')
  faults(@Headers('authorization') authorization: string | undefined) {
    this.authenticate(authorization);
    return { seed: this.bank.faults.seed, ...this.bank.faults.current() };
  }

  /** Replaces every fault setting (omitted ones fall back to none). */
  @Put('faults')
  async changeFaults(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ) {
    this.authenticate(authorization);
    const parsed = faultSettingsSchema.safeParse(body);
    if (!parsed.success) return refuse(invalidRequest(parsed.error));
    await this.bank.faults.change(parsed.data);
    return { seed: this.bank.faults.seed, ...parsed.data };
  }

  /** A customer wires money to one of our virtual IBANs. */
  @Post('credits')
  async credit(
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.authenticate(headers.authorization);
    const key = idempotencyKey(headers['idempotency-key'], false);
    const parsed = sandboxCreditRequestSchema.safeParse(body);
    if (!parsed.success) return refuse(invalidRequest(parsed.error));
    const result = await this.bank.simulateCredit.execute(key, parsed.data);
    if (result.kind === 'refused') {
      return refuse({
        status: 422,
        code: result.code,
        title: result.code === 'invalid_iban' ? 'Invalid IBAN' : 'Idempotency-Key reused',
        detail:
          result.code === 'invalid_iban'
            ? 'An IBAN has a wrong check sum or country format.'
            : 'This Idempotency-Key was used with another request body.',
      });
    }
    reply.status(result.kind === 'created' ? 201 : 200);
    const { credit } = result;
    return {
      transactionId: credit.id,
      creditorIban: credit.creditorIban,
      amountMinor: credit.amountMinor.toString(),
      currency: credit.currency,
      endToEndId: credit.endToEndId,
      bookedAt: credit.bookedAt.toISOString(),
    };
  }
}
