import type { FaultSource } from '@rtp/sandbox-bank/application';
import {
  FaultKind,
  FaultSettings,
  RandomSource,
  RequestFault,
  decideRequestFault,
  randomSequence,
} from '@rtp/sandbox-bank/domain';
import { bankMetrics } from './bank-metrics';
import { PostgresFaultSettingsStore } from './postgres/fault-settings.store';

/**
 * The fault settings in force (read at start, changed by PUT /admin/faults, kept in the database)
 * and the seeded stream that decides each /v1 request's fault in arrival order.
 */
export class FaultControl implements FaultSource {
  private settings: FaultSettings;
  private readonly requests: RandomSource;

  constructor(
    readonly seed: number,
    initial: FaultSettings,
    private readonly store: PostgresFaultSettingsStore,
  ) {
    this.settings = initial;
    this.requests = randomSequence(seed, 'requests');
  }

  current(): FaultSettings {
    return this.settings;
  }

  record(kind: FaultKind): void {
    bankMetrics.faults.inc({ kind });
  }

  /** Replaces the settings everywhere at once; stored first, so a restart keeps them. */
  async change(settings: FaultSettings): Promise<void> {
    await this.store.save(settings, new Date());
    this.settings = settings;
  }

  /** At start: the stored settings, or the environment's (which then replace the stored ones). */
  async loadAtStart(fromEnvironment: FaultSettings | null): Promise<void> {
    if (fromEnvironment) await this.change(fromEnvironment);
    else this.settings = (await this.store.load()) ?? this.settings;
  }

  nextRequestFault(applies: boolean): RequestFault {
    const fault = decideRequestFault(this.settings, this.requests, applies);
    if (fault.latencyMs > 0) this.record('latency');
    if (fault.outcome !== 'proceed') this.record(fault.outcome);
    return fault;
  }
}
