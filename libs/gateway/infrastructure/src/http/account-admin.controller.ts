import { Body, Controller, Headers, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { FreezeAccountHandler } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import { GATEWAY_SETTINGS, GatewaySettings } from './controllers';
import { waitMsFrom } from './request-headers';
import { accountRepresentation } from './representations';
import { freezeSchema, idSchema, parseRequest } from './validation';

/** Admin actions on any account: freezes stop debits, credits or both, with a reason code. */
@Controller('v1/accounts')
@UseGuards(ApiKeyGuard)
@RequiresScope('admin')
export class AccountAdminController {
  constructor(
    @Inject(FreezeAccountHandler) private readonly freezeAccount: FreezeAccountHandler,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Post(':id/freeze')
  @HttpCode(200)
  freeze(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined, @Headers('prefer') prefer: string | undefined) {
    return this.act(principal, 'freeze', id, body, key, prefer);
  }

  @Post(':id/unfreeze')
  @HttpCode(200)
  unfreeze(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined, @Headers('prefer') prefer: string | undefined) {
    return this.act(principal, 'unfreeze', id, body, key, prefer);
  }

  private async act(principal: Principal, action: 'freeze' | 'unfreeze', id: string, body: unknown,
    key: string | undefined, prefer: string | undefined) {
    const accountId = parseRequest(idSchema, id);
    const { mode, reason } = parseRequest(freezeSchema, body);
    const requestId = key && /^[\x21-\x7e]{1,255}$/.test(key) ? key : null;
    const account = await this.freezeAccount.execute(principal, action, { accountId, mode, reason, requestId },
      waitMsFrom(prefer, this.settings.paymentWaitMsDefault));
    return accountRepresentation(account);
  }
}
