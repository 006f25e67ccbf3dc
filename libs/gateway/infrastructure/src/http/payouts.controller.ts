import { Controller, Get, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GetPaymentHandler, SubmitPayoutHandler } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal } from './api-key.guard';
import {
  CommandInput,
  CommandRequest,
  GATEWAY_SETTINGS,
  GatewaySettings,
  isId,
  moneyMovingRequest,
  sendSubmitted,
  valueOf,
} from './controller-support';
import { RefusalError } from './problems/refusal-problem';
import { payoutRepresentation } from './representations';
import { payoutSchema } from './validation';

/** Payouts to a beneficiary at another bank, through the partner bank; listed among payments. */
@Controller('v1/payouts')
@UseGuards(ApiKeyGuard)
export class PayoutsController {
  constructor(
    @Inject(SubmitPayoutHandler) private readonly submitPayout: SubmitPayoutHandler,
    @Inject(GetPaymentHandler) private readonly getPayment: GetPaymentHandler,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { idempotencyKey, request, waitMs } = moneyMovingRequest(
      input,
      payoutSchema,
      this.settings,
    );
    const result = valueOf(
      await this.submitPayout.execute(principal, idempotencyKey, request, waitMs),
    );
    return sendSubmitted(reply, result, payoutRepresentation(result.payment));
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!isId(id)) throw new RefusalError({ code: 'payment_not_found', paymentId: id });
    const payment = valueOf(await this.getPayment.execute(principal, id));
    // Another kind of payment is not a payout: it is not found here (GET /v1/payments/{id} has it).
    if (payment.kind !== 'payout')
      throw new RefusalError({ code: 'payment_not_found', paymentId: id });
    return payoutRepresentation(payment);
  }
}
