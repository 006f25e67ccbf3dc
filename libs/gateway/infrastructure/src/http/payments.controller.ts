import { Controller, Get, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  GetPaymentHandler,
  ListPaymentsHandler,
  SubmitPaymentHandler,
} from '@rtp/gateway/application';
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
import { paymentOrDepositRepresentation, paymentRepresentation } from './representations';
import { parseRequest, paymentSchema, paymentsQuerySchema } from './validation';

/** Payments between accounts: made by their source's owner, seen by every party to them. */
@Controller('v1/payments')
@UseGuards(ApiKeyGuard)
export class PaymentsController {
  constructor(
    @Inject(SubmitPaymentHandler) private readonly submitPayment: SubmitPaymentHandler,
    @Inject(ListPaymentsHandler) private readonly listPayments: ListPaymentsHandler,
    @Inject(GetPaymentHandler) private readonly getPayment: GetPaymentHandler,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { accountId, status, limit, cursor } = parseRequest(paymentsQuerySchema, query);
    const page = valueOf(
      await this.listPayments.execute(principal, {
        accountId: accountId ?? null,
        status: status ?? null,
        limit,
        cursor,
      }),
    );
    return {
      data: page.data.map((payment) => paymentOrDepositRepresentation(payment, principal)),
      nextCursor: page.nextCursor,
    };
  }

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { idempotencyKey, request, waitMs } = moneyMovingRequest(
      input,
      paymentSchema,
      this.settings,
    );
    const result = valueOf(
      await this.submitPayment.transfer(principal, idempotencyKey, request, waitMs),
    );
    return sendSubmitted(reply, result, paymentRepresentation(result.payment, principal));
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!isId(id)) throw new RefusalError({ code: 'payment_not_found', paymentId: id });
    const payment = valueOf(await this.getPayment.execute(principal, id));
    return paymentOrDepositRepresentation(payment, principal);
  }
}
