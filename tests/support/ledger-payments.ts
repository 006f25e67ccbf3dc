import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayClient } from './http-client';

/** An account and a payment as the gateway's API tells them (the fields the ledger tests read). */
export interface GatewayAccount {
  id: string;
  balance: { posted: string; pending: string; available: string };
}
export interface GatewayPayment {
  id: string;
  status: string;
  failureCode: string | null;
}

/**
 * The payments as the gateway tells them, once none of them is processing any more or the deadline
 * (epoch ms) has passed: its read model follows the ledger's events a moment behind.
 */
export async function paymentsOnceSettled<T extends { status: string }>(
  client: GatewayClient,
  ids: string[],
  deadline: number,
  pollMs: number,
): Promise<T[]> {
  for (;;) {
    const payments = await Promise.all(
      ids.map(async (id) => (await client.get<T>(`/v1/payments/${id}`)).body),
    );
    if (payments.every((payment) => payment.status !== 'processing') || Date.now() > deadline)
      return payments;
    await sleep(pollMs);
  }
}
