import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  CreateOperatorHandler,
  ListOperatorsHandler,
  RevokeOperatorHandler,
} from '@rtp/gateway/application';
import {
  OPERATOR_NAME_PATTERN,
  Principal,
  isBootstrapAdmin,
  operatorOf,
  refused,
} from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import { valueOf } from './controller-support';
import { operatorRepresentation } from './review-representations';
import { createOperatorSchema } from './review-validation';
import { parseRequest } from './validation';

/** Named operators: created by the bootstrap admin key only, each with a key of their own. */
@Controller('v1/admin/operators')
@UseGuards(ApiKeyGuard)
@RequiresScope('admin')
export class OperatorsController {
  constructor(
    @Inject(CreateOperatorHandler) private readonly createOperator: CreateOperatorHandler,
    @Inject(ListOperatorsHandler) private readonly listOperators: ListOperatorsHandler,
    @Inject(RevokeOperatorHandler) private readonly revokeOperator: RevokeOperatorHandler,
  ) {}

  @Post(':name/revoke')
  @HttpCode(200)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('name') name: string) {
    // A name that cannot be an operator's names none.
    const result = OPERATOR_NAME_PATTERN.test(name)
      ? await this.revokeOperator.execute(principal, name)
      : refused({ code: 'operator_not_found', name: 'that' });
    return operatorRepresentation(valueOf(result));
  }

  @Post()
  @HttpCode(201)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const input = parseRequest(createOperatorSchema, body);
    const created = valueOf(await this.createOperator.execute(principal, input));
    return { ...created, createdAt: created.createdAt.toISOString() };
  }

  /** Who the key is: the operator's name (the actor of their actions), or the bootstrap admin. */
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return { name: operatorOf(principal), bootstrapAdmin: isBootstrapAdmin(principal) };
  }

  @Get()
  async list() {
    const operators = valueOf(await this.listOperators.execute());
    return { data: operators.map(operatorRepresentation) };
  }
}
