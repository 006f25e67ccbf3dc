import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ChangeAccountSettingsHandler,
  GetAccountHandler,
  GetBalanceHandler,
  ListEntriesHandler,
  OpenAccountHandler,
} from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal } from './api-key.guard';
import {
  CommandInput,
  CommandRequest,
  GATEWAY_SETTINGS,
  GatewaySettings,
  isId,
  valueOf,
} from './controller-support';
import { RefusalError } from './problems/refusal-problem';
import { waitMsFrom } from './request-headers';
import { accountRepresentation, balanceRepresentation } from './representations';
import {
  accountSettingsSchema,
  balanceQuerySchema,
  entriesQuerySchema,
  openAccountSchema,
  parseRequest,
} from './validation';

/** A path id that cannot be an id names no account: answered as an unknown one, never read. */
function assertAccountId(id: string): void {
  if (!isId(id)) throw new RefusalError({ code: 'account_not_found', accountId: id });
}

/** A client's own accounts: opened, read, their balances and entries, the owner's settings. */
@Controller('v1/accounts')
@UseGuards(ApiKeyGuard)
export class AccountsController {
  constructor(
    @Inject(OpenAccountHandler) private readonly openAccount: OpenAccountHandler,
    @Inject(GetAccountHandler) private readonly getAccount: GetAccountHandler,
    @Inject(GetBalanceHandler) private readonly getBalance: GetBalanceHandler,
    @Inject(ListEntriesHandler) private readonly listEntries: ListEntriesHandler,
    @Inject(ChangeAccountSettingsHandler)
    private readonly changeSettings: ChangeAccountSettingsHandler,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Post()
  async open(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const request = parseRequest(openAccountSchema, input.body);
    const waitMs = waitMsFrom(input.prefer, this.settings.paymentWaitMsDefault);
    const account = valueOf(await this.openAccount.execute(principal, request, waitMs));
    reply.status(account.status === 'opening' ? 202 : 201);
    return accountRepresentation(account);
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    assertAccountId(id);
    return accountRepresentation(valueOf(await this.getAccount.execute(principal, id)));
  }

  @Get(':id/balance')
  async balance(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ) {
    const { asOf } = parseRequest(balanceQuerySchema, query);
    assertAccountId(id);
    const instant = asOf === undefined ? null : new Date(asOf);
    return balanceRepresentation(valueOf(await this.getBalance.execute(principal, id, instant)));
  }

  /** The account's balance changes, newest first, each with the balance after it. */
  @Get(':id/entries')
  async entries(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ) {
    const page = parseRequest(entriesQuerySchema, query);
    assertAccountId(id);
    return valueOf(await this.listEntries.execute(principal, id, page));
  }

  /** The owner's settings of an account; today whether other clients may pay into it. */
  @Patch(':id')
  async change(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    assertAccountId(id);
    const change = parseRequest(accountSettingsSchema, body);
    return accountRepresentation(valueOf(await this.changeSettings.execute(principal, id, change)));
  }
}
