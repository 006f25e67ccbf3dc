import { Samples, scrape, total } from '../../bench/harness/prometheus-metrics';
import { PayoutPlatform } from './payout-platform';

const ADMIN_TIMEOUT_MS = 10_000;

/** The sandbox bank's admin side and the two services' metrics, as the run reads them. */
export class BankControl {
  constructor(private readonly platform: PayoutPlatform) {}

  /** PUT /admin/faults: replaces every fault setting ({} heals the bank). */
  async setFaults(settings: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.platform.url('sandbox-bank')}/admin/faults`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${this.platform.bankAdminKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(settings),
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(`PUT /admin/faults answered ${response.status} ${await response.text()}`);
    }
  }

  bankMetrics(): Promise<Samples> {
    return scrape(`${this.platform.url('sandbox-bank')}/metrics`);
  }

  adapterMetrics(): Promise<Samples> {
    return scrape(`${this.platform.url('partner-adapter')}/metrics`);
  }
}

/** Faults the bank injected between two scrapes, by kind (error, hang, drop_after_apply). */
export function faultsBetween(before: Samples, after: Samples): Record<string, number> {
  const kinds = ['error', 'hang', 'drop_after_apply'];
  return Object.fromEntries(
    kinds.map((kind) => [
      kind,
      total(after, 'sandbox_bank_faults_injected_total', { kind }) -
        total(before, 'sandbox_bank_faults_injected_total', { kind }),
    ]),
  );
}

/** The create breaker's state in the adapter's metrics: 0 closed, 1 half-open, 2 open. */
export function createBreakerState(samples: Samples): number {
  return total(samples, 'partner_breaker_state', { call_kind: 'create' });
}
