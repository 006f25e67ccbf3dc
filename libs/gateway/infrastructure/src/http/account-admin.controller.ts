import { Controller, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AccountAction, FreezeAccountHandler } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import {
  CommandInput,
  CommandRequest,
  GATEWAY_SETTINGS,
  GatewaySettings,
} from './controller-support';
import { RefusalError } from './problems/refusal-problem';
import { requireIdempotencyKey, waitMsFrom } from './request-headers';
import { accountRepresentation } from './representations';
import { freezeSchema, idSchema, parseRequest } from './validation';

/**
 * Admin actions on any account: freezes stop debits, credits or both, with a reason code. 200 with
 * the account as the action left it, 202 when the ledger has not applied it within the wait, 422
 * with the ledger's code when it refused. An Idempotency-Key is optional; with one, the same key
 * and request answers the original outcome with `Idempotent-Replayed: true` and changes nothing.
 */
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
  freeze(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.act(principal, 'freeze', input, reply);
  }

  @Post(':id/unfreeze')
  @HttpCode(200)
  unfreeze(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.act(principal, 'unfreeze', input, reply);
  }

  private async act(
    principal: Principal,
    action: AccountAction,
    input: CommandInput,
    reply: FastifyReply,
  ) {
    const accountId = parseRequest(idSchema, input.id);
    const { mode, reason } = parseRequest(freezeSchema, input.body);
    // A key that is sent must be valid: ignoring a bad one would silently drop the protection.
    const key = input.idempotencyKey;
    const idempotencyKey = key === undefined ? null : requireIdempotencyKey(key);
    const waitMs = waitMsFrom(input.prefer, this.settings.paymentWaitMsDefault);
    const result = await this.freezeAccount.execute(
      principal,
      action,
      { accountId, mode, reason, idempotencyKey },
      waitMs,
    );
    const replayed = result.ok
      ? result.value.replayed
      : result.refusal.code === 'ledger_refused' && result.refusal.replayed;
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    if (!result.ok) throw new RefusalError(result.refusal);
    reply.status(result.value.state === 'pending' ? 202 : 200);
    return accountRepresentation(result.value.account);
  }
}
