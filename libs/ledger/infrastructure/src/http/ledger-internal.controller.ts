import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
  UseGuards,
} from '@nestjs/common';
import { LedgerRuntime } from '../ledger-runtime';
import { HistoricalBalance, historicalBalance } from '../historical-balance.query';
import { InternalApiKeyGuard } from './internal-api-key.guard';

/**
 * Operator queries on the ledger's own port (not the public API; clients use the gateway). Read-only,
 * and only with the internal API key.
 */
@Controller('internal')
@UseGuards(InternalApiKeyGuard)
export class LedgerInternalController {
  constructor(@Inject(LedgerRuntime) private readonly runtime: LedgerRuntime) {}

  @Get('accounts/:id/balance')
  async balance(
    @Param('id') accountId: string,
    @Query('asOf') asOf: string | undefined,
  ): Promise<HistoricalBalance> {
    const instant = asOf === undefined ? new Date() : new Date(asOf);
    if (
      Number.isNaN(instant.getTime()) ||
      (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(asOf))
    ) {
      throw new BadRequestException('asOf must be an ISO 8601 date-time');
    }
    const balance = await historicalBalance(this.runtime.dataSource, accountId, instant);
    if (!balance) throw new NotFoundException(`no account ${accountId}`);
    return balance;
  }
}
