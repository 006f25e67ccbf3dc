import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { CreateOperatorHandler, ListOperatorsHandler } from '@rtp/gateway/application';
import { Principal, isBootstrapAdmin, operatorOf } from '@rtp/gateway/domain';
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
  ) {}

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
