import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SandboxBankRuntime } from '../bank-runtime';
import { CAMT053_VERSIONS, Camt053Version, camt053Xml } from '../statements/camt053';
import { statementCsv } from '../statements/statement-csv';
import { refuse, requireBearer } from './bank-problems';
import { withFaults } from './fault-gate';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(date: string): boolean {
  return DATE.test(date) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
}

/** Which format the caller accepts: camt.053 XML, or CSV. */
function format(accept: string | undefined): 'xml' | 'csv' | null {
  const value = (accept ?? '*/*').toLowerCase();
  if (value.includes('text/csv')) return 'csv';
  if (value.includes('application/xml') || value.includes('*/*')) return 'xml';
  return null;
}

/** `GET /v1/statements/{date}`: our settlement account's booked entries of that UTC day. */
@Controller('v1/statements')
export class StatementsController {
  constructor(@Inject(SandboxBankRuntime) private readonly bank: SandboxBankRuntime) {}

  @Get(':date')
  async statement(
    @Param('date') date: string,
    @Query('format') version: string | undefined,
    @Headers() headers: Record<string, string | undefined>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireBearer(headers.authorization, this.bank.options.apiKey, 'bank API key');
    if (!validDate(date)) {
      return refuse({
        status: 400,
        code: 'invalid_date',
        title: 'Invalid date',
        detail: 'The statement date is a calendar date, YYYY-MM-DD (UTC).',
      });
    }
    if (version !== undefined && !CAMT053_VERSIONS.includes(version as Camt053Version)) {
      return refuse({
        status: 400,
        code: 'invalid_format',
        title: 'Invalid format',
        detail: `format is one of ${CAMT053_VERSIONS.join(', ')} (default camt.053.001.08).`,
      });
    }
    const wanted = format(headers.accept);
    if (!wanted) {
      return refuse({
        status: 406,
        code: 'not_acceptable',
        title: 'Not acceptable',
        detail: 'Statements come as application/xml (camt.053.001.08 or .02) or text/csv.',
      });
    }
    return withFaults(this.bank.faults, request, reply, false, async () => {
      const statements = await this.bank.getStatement.execute(date);
      if (wanted === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8');
        return statementCsv(statements);
      }
      reply.header('content-type', 'application/xml; charset=utf-8');
      const createdAt = new Date().toISOString();
      return camt053Xml(
        statements,
        `MSG-${date}-${Date.now()}`,
        createdAt,
        (version as Camt053Version | undefined) ?? 'camt.053.001.08',
      );
    });
  }
}
