import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FreezeAccountHandler } from '@rtp/gateway/application';
import { GatewayProblemError, Principal, problems } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import { GATEWAY_SETTINGS, GatewaySettings } from './controllers';
import { requireIdempotencyKey, waitMsFrom } from './request-headers';
import { accountRepresentation } from './representations';
import { freezeSchema, idSchema, parseRequest } from './validation';

type Action = 'freeze' | 'unfreeze';

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
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.act(principal, 'freeze', id, body, { key, prefer, reply });
  }

  @Post(':id/unfreeze')
  @HttpCode(200)
  unfreeze(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.act(principal, 'unfreeze', id, body, { key, prefer, reply });
  }

  private async act(
    principal: Principal,
    action: Action,
    id: string,
    body: unknown,
    http: { key: string | undefined; prefer: string | undefined; reply: FastifyReply },
  ) {
    const accountId = parseRequest(idSchema, id);
    const { mode, reason } = parseRequest(freezeSchema, body);
    // A key that is sent must be valid: ignoring a bad one would silently drop the protection.
    const idempotencyKey = http.key === undefined ? null : requireIdempotencyKey(http.key);
    const waitMs = waitMsFrom(http.prefer, this.settings.paymentWaitMsDefault);
    const result = await this.freezeAccount.execute(
      principal,
      action,
      { accountId, mode, reason, idempotencyKey },
      waitMs,
    );
    if (result.replayed) http.reply.header('Idempotent-Replayed', 'true');
    if (result.state === 'rejected') {
      throw new GatewayProblemError(problems.accountActionRejected(result.failureCode));
    }
    http.reply.status(result.state === 'pending' ? 202 : 200);
    return accountRepresentation(result.account);
  }
}
