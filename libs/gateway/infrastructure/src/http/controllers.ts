import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  CreateClientHandler,
  OpenAccountHandler,
  PaymentRecord,
  SubmitPaymentHandler,
  SubmitResult,
} from '@rtp/gateway/application';
import { GatewayProblemError, Principal, isAdmin, ownedBy, problems } from '@rtp/gateway/domain';
import { PostgresGatewayStore } from '../postgres-gateway.store';
import { GatewayReadModels } from '../read-models.query';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import { requireIdempotencyKey, waitMsFrom } from './request-headers';
import {
  accountRepresentation,
  depositRepresentation,
  paymentRepresentation,
} from './representations';
import {
  balanceQuerySchema,
  createClientSchema,
  entriesQuerySchema,
  paymentsQuerySchema,
  depositSchema,
  idSchema,
  openAccountSchema,
  parseRequest,
  paymentSchema,
} from './validation';

export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export interface GatewaySettings {
  paymentWaitMsDefault: number;
}

function sendSubmitted(reply: FastifyReply, result: SubmitResult, body: object): object {
  reply.status(result.payment.status === 'processing' ? 202 : 201);
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  return body;
}

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
    return this.createClient.execute(parseRequest(createClientSchema, body));
  }

  @Post('deposits')
  async deposit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const key = requireIdempotencyKey(idempotencyKey);
    const request = parseRequest(depositSchema, body);
    const { amount, ...rest } = request;
    const result = await this.submitPayment.deposit(
      principal,
      key,
      { ...rest, amountMinor: amount },
      waitMsFrom(prefer, this.settings.paymentWaitMsDefault),
    );
    return sendSubmitted(reply, result, depositRepresentation(result.payment));
  }
}

@Controller('v1/accounts')
@UseGuards(ApiKeyGuard)
export class AccountsController {
  constructor(
    @Inject(OpenAccountHandler) private readonly openAccount: OpenAccountHandler,
    @Inject(PostgresGatewayStore) private readonly store: PostgresGatewayStore,
    @Inject(GatewayReadModels) private readonly readModels: GatewayReadModels,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Post()
  async open(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const request = parseRequest(openAccountSchema, body);
    const account = await this.openAccount.execute(
      principal,
      request,
      waitMsFrom(prefer, this.settings.paymentWaitMsDefault),
    );
    reply.status(account.status === 'opening' ? 202 : 201);
    return accountRepresentation(account);
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return accountRepresentation(await this.visibleAccount(principal, id));
  }

  @Get(':id/balance')
  async balance(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ) {
    const { asOf } = parseRequest(balanceQuerySchema, query);
    const account = accountRepresentation(await this.visibleAccount(principal, id));
    if (asOf === undefined)
      return { accountId: account.id, currency: account.currency, ...account.balance };
    const { posted, pending } = await this.readModels.balanceAsOf(account.id, new Date(asOf));
    const available = (BigInt(posted) - BigInt(pending)).toString();
    return {
      accountId: account.id,
      currency: account.currency,
      asOf: new Date(asOf).toISOString(),
      posted,
      pending,
      available,
    };
  }

  /** The account's balance changes, newest first, each with the balance after it. */
  @Get(':id/entries')
  async entries(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ) {
    const { limit, cursor } = parseRequest(entriesQuerySchema, query);
    const account = await this.visibleAccount(principal, id);
    return this.readModels.entries(account.id, limit, cursor);
  }

  private async visibleAccount(principal: Principal, id: string) {
    const account = idSchema.safeParse(id).success ? await this.store.readAccount(id) : null;
    if (!account || !ownedBy(principal, account)) {
      throw new GatewayProblemError(problems.accountNotFound(id));
    }
    return account;
  }
}

@Controller('v1/payments')
@UseGuards(ApiKeyGuard)
export class PaymentsController {
  constructor(
    @Inject(SubmitPaymentHandler) private readonly submitPayment: SubmitPaymentHandler,
    @Inject(PostgresGatewayStore) private readonly store: PostgresGatewayStore,
    @Inject(GatewayReadModels) private readonly readModels: GatewayReadModels,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { accountId, status, limit, cursor } = parseRequest(paymentsQuerySchema, query);
    if (accountId !== undefined) {
      const account = await this.store.readAccount(accountId);
      if (!account || !ownedBy(principal, account)) {
        throw new GatewayProblemError(problems.accountNotFound(accountId));
      }
    }
    const page = await this.readModels.paymentIds(
      {
        clientId: isAdmin(principal) ? null : principal.clientId,
        accountId: accountId ?? null,
        status: status ?? null,
      },
      limit,
      cursor,
    );
    const payments = await Promise.all(page.data.map((id) => this.store.readPayment(id)));
    return {
      data: payments
        .filter((payment): payment is PaymentRecord => payment !== null)
        .map((payment) =>
          payment.kind === 'deposit'
            ? depositRepresentation(payment)
            : paymentRepresentation(payment, principal),
        ),
      nextCursor: page.nextCursor,
    };
  }

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const key = requireIdempotencyKey(idempotencyKey);
    const { amount, ...rest } = parseRequest(paymentSchema, body);
    const result = await this.submitPayment.transfer(
      principal,
      key,
      { ...rest, amountMinor: amount },
      waitMsFrom(prefer, this.settings.paymentWaitMsDefault),
    );
    return sendSubmitted(reply, result, paymentRepresentation(result.payment, principal));
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const payment = idSchema.safeParse(id).success ? await this.store.readPayment(id) : null;
    if (!payment || !canSee(principal, payment)) {
      throw new GatewayProblemError(problems.paymentNotFound(id));
    }
    return payment.kind === 'deposit'
      ? depositRepresentation(payment)
      : paymentRepresentation(payment, principal);
  }
}

/** A payment is seen by its initiator and by the owners of the accounts it debits and credits. */
function canSee(principal: Principal, payment: PaymentRecord): boolean {
  const parties = [payment.clientId, payment.sourceClientId, payment.destinationClientId];
  return isAdmin(principal) || parties.includes(principal.clientId);
}
