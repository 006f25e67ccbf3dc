import { z } from 'zod';
import { PaymentOutcome } from '@rtp/gateway/application';

/**
 * A notification on the outcome channel: a resource id (an account, a freeze command), or, for a
 * payment the projection just made terminal, a JSON object with its id and outcome, which the
 * projection builds in the statement that stored it (writePaymentsAndWake).
 */
const paymentNotification = z.object({
  id: z.string().min(1),
  status: z.enum(['completed', 'rejected']),
  failureCode: z.string().nullable(),
  failedLeg: z.enum(['debit', 'credit']).nullable(),
  updatedAt: z.iso.datetime({ offset: true }),
});

export function parseOutcomeNotification(payload: string): {
  resourceId: string;
  payment: PaymentOutcome | null;
} {
  if (!payload.startsWith('{')) return { resourceId: payload, payment: null };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    json = null;
  }
  const parsed = paymentNotification.safeParse(json);
  // A payload this code cannot read tells nothing: its waiter reads the read model at its deadline.
  if (!parsed.success) return { resourceId: payload, payment: null };
  const { id, updatedAt, ...outcome } = parsed.data;
  return { resourceId: id, payment: { ...outcome, updatedAt: new Date(updatedAt) } };
}
