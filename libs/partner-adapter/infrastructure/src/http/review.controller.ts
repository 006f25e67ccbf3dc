import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { maskIban, maskName } from '@rtp/partner-adapter/domain';
import { PartnerAdapterRuntime } from '../partner-adapter-runtime';
import { AdapterProblemError } from './adapter-problems';
import { AdminKeyGuard } from './admin-key.guard';

const PAGE_SIZE_MAX = 200;

/** `limit`, 1 to 200 (50 when absent); anything else is refused as a problem. */
function pageSize(limit: string | undefined): number {
  if (limit === undefined) return 50;
  const value = /^[0-9]{1,4}$/.test(limit) ? Number(limit) : Number.NaN;
  if (value >= 1 && value <= PAGE_SIZE_MAX) return value;
  throw new AdapterProblemError({
    status: 400,
    code: 'invalid_limit',
    title: 'Invalid limit',
    detail: `limit must be an integer from 1 to ${PAGE_SIZE_MAX}`,
  });
}

/**
 * What the operator reviews: payouts still without the bank's word past the deadline (left to
 * reconciliation; never failed by the adapter) and money held in suspense. IBANs and names masked.
 */
@Controller('v1/review')
@UseGuards(AdminKeyGuard)
export class ReviewController {
  constructor(@Inject(PartnerAdapterRuntime) private readonly runtime: PartnerAdapterRuntime) {}

  @Get('payouts')
  async payouts(@Query('limit') limit?: string) {
    const payouts = await this.runtime.store.listEscalated(pageSize(limit));
    return {
      data: payouts.map((payout) => ({
        paymentId: payout.paymentId,
        accountId: payout.accountId,
        partnerId: payout.partnerId,
        amountMinor: payout.amountMinor,
        currency: payout.currency,
        beneficiary: {
          ibanMasked: maskIban(payout.beneficiary.iban),
          nameMasked: maskName(payout.beneficiary.name),
        },
        endToEndId: payout.endToEndId,
        // queued: never sent (the breaker stayed open); it is sent when the bank is reachable.
        state: payout.state,
        bankTransferId: payout.bankTransferId,
        submissions: payout.submissions,
        pendingSince: payout.reservedAt.toISOString(),
        deadlineAt: payout.deadlineAt.toISOString(),
        escalatedAt: payout.escalatedAt?.toISOString() ?? null,
      })),
    };
  }

  @Get('suspense')
  async suspense(@Query('limit') limit?: string) {
    const rows = await this.runtime.store.listSuspense(pageSize(limit));
    return {
      data: rows.map((row) => ({
        bankTransactionId: row.bank_transaction_id,
        suspenseAccountId: row.account_id,
        creditorIbanMasked: maskIban(String(row.creditor_iban)),
        amountMinor: row.amount_minor,
        currency: String(row.currency).trim(),
        receivedAt: new Date(row.received_at as string).toISOString(),
      })),
    };
  }
}
