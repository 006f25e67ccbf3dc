import type { Payout } from './payout';

/**
 * What a decision about a payout asks to publish, in the same transaction as the payout's new
 * state (through the outbox). Ids are deterministic, so a decision repeated after a crash
 * publishes the same messages, which consumers dedupe.
 */
export type PayoutEffect =
  | {
      kind: 'ledger';
      type: 'SettlePayout' | 'ReleasePayout' | 'ReturnPayout';
      id: string;
      data: Record<string, unknown>;
    }
  | { kind: 'partner'; type: string; id: string; data: Record<string, unknown> };

export function partnerEffect(
  payout: Payout,
  type: string,
  suffix: string,
  fields: Record<string, unknown>,
  at: Date,
): PayoutEffect {
  return {
    kind: 'partner',
    type,
    id: `partner:${payout.paymentId}:${suffix}`,
    data: {
      paymentId: payout.paymentId,
      accountId: payout.accountId,
      partnerId: payout.partnerId,
      ...fields,
      at: at.toISOString(),
    },
  };
}
