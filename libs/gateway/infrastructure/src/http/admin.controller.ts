import { Body, Controller, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CreateClientHandler, SubmitPaymentHandler } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import {
  CommandInput,
  CommandRequest,
  GATEWAY_SETTINGS,
  GatewaySettings,
  moneyMovingRequest,
  sendSubmitted,
  valueOf,
} from './controller-support';
import { depositRepresentation } from './representations';
import { createClientSchema, depositSchema, parseRequest } from './validation';

/** The operator's routes: API clients, and deposits from the sandbox partner. */
@Controller('v1/admin')
@UseGuards(ApiKeyGuard)
@RequiresScope('admin')
export class AdminController {
  constructor(
    @Inject(CreateClientHandler) private readonly createClient: CreateClientHandler,
    @Inject(SubmitPaymentHandler) private readonly submitPayment: SubmitPaymentHandler,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Post('clients')
  @HttpCode(201)
  async create(@Body() body: unknown) {
    return valueOf(await this.createClient.execute(parseRequest(createClientSchema, body)));
  }

  @Post('deposits')
  async deposit(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { idempotencyKey, request, waitMs } = moneyMovingRequest(
      input,
      depositSchema,
      this.settings,
    );
    const result = valueOf(
      await this.submitPayment.deposit(principal, idempotencyKey, request, waitMs),
    );
    return sendSubmitted(reply, result, depositRepresentation(result.payment));
  }
}
