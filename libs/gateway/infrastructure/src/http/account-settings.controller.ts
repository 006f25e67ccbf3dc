import { Body, Controller, Inject, Param, Patch, UseGuards } from '@nestjs/common';
import { ChangeAccountSettingsHandler } from '@rtp/gateway/application';
import { GatewayProblemError, Principal, problems } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal } from './api-key.guard';
import { accountRepresentation } from './representations';
import { accountSettingsSchema, idSchema, parseRequest } from './validation';

/** The owner's settings of an account; today whether other clients may pay into it. */
@Controller('v1/accounts')
@UseGuards(ApiKeyGuard)
export class AccountSettingsController {
  constructor(
    @Inject(ChangeAccountSettingsHandler)
    private readonly changeSettings: ChangeAccountSettingsHandler,
  ) {}

  @Patch(':id')
  async change(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    // A malformed id names no account, as for GET.
    if (!idSchema.safeParse(id).success) {
      throw new GatewayProblemError(problems.accountNotFound(id));
    }
    const change = parseRequest(accountSettingsSchema, body);
    return accountRepresentation(await this.changeSettings.execute(principal, id, change));
  }
}
