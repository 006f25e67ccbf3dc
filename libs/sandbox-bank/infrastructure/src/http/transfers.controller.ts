import { Controller, Get, Headers, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bankTransferRequestSchema, endToEndIdSchema } from '@rtp/contracts';
import { toBankTransfer } from '@rtp/sandbox-bank/application';
import { bankMetrics } from '../bank-metrics';
import { SandboxBankRuntime } from '../bank-runtime';
import { idempotencyKey, invalidRequest, refuse, requireBearer } from './bank-problems';
import { withFaults } from './fault-gate';

const LIST_LIMIT = 100;
// 31 hex digits since ids fit ISO 20022's Max35Text; 32 from before still read.
const TRANSFER_ID = /^trf_[0-9a-f]{31,32}$/;

const REFUSALS = {
  idempotency_key_reused: {
    status: 422,
    title: 'Idempotency-Key reused',
    detail: 'This Idempotency-Key was used with another request body.',
  },
  unknown_debtor_account: {
    status: 422,
    title: 'Unknown debtor account',
    detail: 'debtorIban is not the account this API key may debit.',
  },
} as const;

/** `/v1/transfers`: our payouts, by the caller's idempotency key and our end-to-end reference. */
@Controller('v1/transfers')
export class TransfersController {
  constructor(@Inject(SandboxBankRuntime) private readonly bank: SandboxBankRuntime) {}

  private authenticate(authorization: string | undefined): void {
    requireBearer(authorization, this.bank.options.apiKey, 'bank API key');
  }

  @Post()
  async create(
    @Headers() headers: Record<string, string | undefined>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.authenticate(headers.authorization);
    const key = idempotencyKey(headers['idempotency-key'], true) as string;
    const parsed = bankTransferRequestSchema.safeParse(request.body);
    if (!parsed.success) return refuse(invalidRequest(parsed.error));
    return withFaults(this.bank.faults, request, reply, true, async () => {
      const result = await this.bank.createTransfer.execute(key, parsed.data);
      if (result.kind === 'refused') return refuse({ code: result.code, ...REFUSALS[result.code] });
      if (result.kind === 'created') bankMetrics.transfers.inc({ status: result.transfer.status });
      reply.status(result.kind === 'created' ? 201 : 200);
      if (result.kind === 'replayed') reply.header('idempotent-replayed', 'true');
      return toBankTransfer(result.transfer);
    });
  }

  @Get(':id')
  async get(
    @Param('id') id: string,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.authenticate(authorization);
    return withFaults(this.bank.faults, request, reply, false, async () => {
      const transfer = TRANSFER_ID.test(id) ? await this.bank.transfers.findTransfer(id) : null;
      if (!transfer) {
        return refuse({
          status: 404,
          code: 'transfer_not_found',
          title: 'Transfer not found',
          detail: `No transfer ${id}.`,
        });
      }
      return toBankTransfer(transfer);
    });
  }

  @Get()
  async list(
    @Query('endToEndId') endToEndId: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.authenticate(authorization);
    const parsed = endToEndIdSchema.safeParse(endToEndId);
    if (!parsed.success) return refuse(invalidRequest(parsed.error));
    return withFaults(this.bank.faults, request, reply, false, async () => {
      const found = await this.bank.transfers.listByEndToEndId(parsed.data, LIST_LIMIT);
      return { data: found.map(toBankTransfer) };
    });
  }
}
