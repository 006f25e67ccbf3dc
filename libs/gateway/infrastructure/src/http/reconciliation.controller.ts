import {
  Controller,
  Get,
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
  ApproveResolutionHandler,
  DeclineResolutionHandler,
  GetExceptionHandler,
  IdsAndClock,
  ListExceptionsHandler,
  ListMatchingRulesHandler,
  ListReconciliationRunsHandler,
  ProposeResolutionHandler,
  RequestReconciliationRunHandler,
  SentReviewAction,
} from '@rtp/gateway/application';
import { Principal, Result } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import { CommandInput, CommandRequest, valueOf } from './controller-support';
import { requireIdempotencyKey } from './request-headers';
import {
  exceptionRepresentation,
  exceptionSummaryRepresentation,
  ruleRepresentation,
  runRepresentation,
  sentActionRepresentation,
} from './review-representations';
import {
  approveResolutionSchema,
  declineResolutionSchema,
  exceptionsQuerySchema,
  proposeResolutionSchema,
  reviewIdOf,
  runRequestSchema,
  runsQuerySchema,
} from './review-validation';
import { parseRequest } from './validation';

export const REVIEW_CLOCK = Symbol('REVIEW_CLOCK');

const optionalKey = (input: CommandInput) =>
  input.idempotencyKey === undefined ? null : requireIdempotencyKey(input.idempotencyKey);

/**
 * The reconciliation review queue (admin): exceptions by age with both sides, the maker-checker
 * actions (202: sent to the reconciler, whose events the exception then shows), runs and rules.
 */
@Controller('v1/admin/reconciliation')
@UseGuards(ApiKeyGuard)
@RequiresScope('admin')
export class ReconciliationController {
  constructor(
    @Inject(ListExceptionsHandler) private readonly listExceptions: ListExceptionsHandler,
    @Inject(GetExceptionHandler) private readonly getException: GetExceptionHandler,
    @Inject(ProposeResolutionHandler) private readonly propose: ProposeResolutionHandler,
    @Inject(ApproveResolutionHandler) private readonly approve: ApproveResolutionHandler,
    @Inject(DeclineResolutionHandler) private readonly decline: DeclineResolutionHandler,
    @Inject(RequestReconciliationRunHandler)
    private readonly requestRun: RequestReconciliationRunHandler,
    @Inject(ListReconciliationRunsHandler) private readonly listRuns: ListReconciliationRunsHandler,
    @Inject(ListMatchingRulesHandler) private readonly listRules: ListMatchingRulesHandler,
    @Inject(REVIEW_CLOCK) private readonly clock: IdsAndClock,
  ) {}

  @Get('exceptions')
  async exceptions(@Query() query: unknown) {
    const {
      status,
      class: kind,
      currency,
      partnerId,
      minAgeHours,
      limit,
      cursor,
    } = parseRequest(exceptionsQuerySchema, query);
    const page = valueOf(
      await this.listExceptions.execute({
        status: status ?? null,
        class: kind ?? null,
        currency: currency ?? null,
        partnerId: partnerId ?? null,
        minAgeHours: minAgeHours ?? null,
        limit,
        cursor,
      }),
    );
    const now = this.clock.now();
    return {
      data: page.data.map((exception) => exceptionSummaryRepresentation(exception, now)),
      nextCursor: page.nextCursor,
    };
  }

  @Get('exceptions/:id')
  async exception(@Param('id') id: string) {
    const found = valueOf(await this.getException.execute(reviewIdOf(id)));
    return exceptionRepresentation(found, this.clock.now());
  }

  @Post('exceptions/:id/proposals')
  @HttpCode(202)
  async proposeResolution(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { resolution, note } = parseRequest(proposeResolutionSchema, input.body);
    const exceptionId = reviewIdOf(input.id ?? '');
    const idempotencyKey = optionalKey(input);
    const result = await this.propose.execute(principal, {
      exceptionId,
      resolution,
      note,
      idempotencyKey,
    });
    return sent(reply, result);
  }

  @Post('exceptions/:id/proposals/:proposalId/approval')
  @HttpCode(202)
  async approveResolution(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Param('proposalId') proposalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    parseRequest(approveResolutionSchema, input.body);
    const result = await this.approve.execute(principal, {
      exceptionId: reviewIdOf(input.id ?? ''),
      proposalId: reviewIdOf(proposalId),
      idempotencyKey: optionalKey(input),
    });
    return sent(reply, result);
  }

  @Post('exceptions/:id/proposals/:proposalId/decline')
  @HttpCode(202)
  async declineResolution(
    @CurrentPrincipal() principal: Principal,
    @CommandRequest() input: CommandInput,
    @Param('proposalId') proposalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { note } = parseRequest(declineResolutionSchema, input.body);
    const result = await this.decline.execute(principal, {
      exceptionId: reviewIdOf(input.id ?? ''),
      proposalId: reviewIdOf(proposalId),
      note,
      idempotencyKey: optionalKey(input),
    });
    return sent(reply, result);
  }

  @Get('runs')
  async runs(@Query() query: unknown) {
    const { partnerId, limit } = parseRequest(runsQuerySchema, query);
    const runs = valueOf(await this.listRuns.execute({ partnerId: partnerId ?? null, limit }));
    return { data: runs.map(runRepresentation) };
  }

  @Post('runs')
  @HttpCode(202)
  async run(@CurrentPrincipal() principal: Principal, @CommandRequest() input: CommandInput) {
    const { partnerId, date, fetchStatement } = parseRequest(runRequestSchema, input.body);
    return valueOf(
      await this.requestRun.execute(principal, {
        partnerId,
        date,
        fetchStatement: fetchStatement ?? true,
      }),
    );
  }

  @Get('rules')
  async rules() {
    const rules = valueOf(await this.listRules.execute());
    return { data: rules.map(ruleRepresentation) };
  }
}

function sent(reply: FastifyReply, result: Result<SentReviewAction>) {
  const action = valueOf(result);
  if (action.replayed) reply.header('Idempotent-Replayed', 'true');
  return sentActionRepresentation(action);
}
