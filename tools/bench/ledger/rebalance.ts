import { performance } from 'node:perf_hooks';
import { round } from '../harness/machine-info';
import { Row, number } from '../harness/report-format';
import { Session, startLedger } from './ledger-session';

/** The second ledger's name in the services (see startLedger). */
const SECOND_LEDGER = 'ledger-2';
const BASELINE_SECONDS_MAX = 5;
export const RECOVERY_SHARE = 0.8;

/** Whole seconds in a row at or above the threshold that count as recovered. */
const STEADY_SECONDS = 3;

export const RECOVERY_DEFINITION =
  'baseline = commands/s over the up to 5 s before the event (the spawn, or the SIGTERM); ' +
  'the rate is taken over whole seconds from the event on (offsets interpolated between the ' +
  '100 ms polls); recovery = seconds from the event to the start of the first 3 whole seconds in ' +
  'a row each at >= 80% of the baseline, starting no earlier than the new ledger ready (or the ' +
  'stopped one exited), as the group rebalances only then; null when the drain ended first';

/** The ledger group's consumed offsets (summed) at one poll, at performance.now() `at`. */
interface PositionSample {
  at: number;
  consumed: bigint;
}

export interface RebalanceFigures {
  event: 'start a second ledger' | 'stop one of two ledgers (SIGTERM)';
  /** Seconds from the drain's start to the event (the spawn, or the SIGTERM). */
  atSeconds: number | null;
  /** Seconds from the event until the new ledger was ready, or the stopped one had exited. */
  processSeconds: number | null;
  baselineCommandsPerSecond: number | null;
  /** Whole seconds from the event on: commands/s in [event + k, event + k + 1). */
  afterEvent: number[];
  /** Whole seconds from the drain's start: commands/s, for the graph of the whole drain. */
  perSecond: number[];
  secondsBelowThreshold: number;
  recoverySeconds: number | null;
  definition: string;
  error: string | null;
}

/** Starts (1 ledger) or stops (2 ledgers) a ledger S seconds into the drain, and times it. */
export class Rebalance {
  private readonly samples: PositionSample[] = [];
  private readonly timer: NodeJS.Timeout;
  private eventAt: number | null = null;
  private processSeconds: number | null = null;
  private error: string | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: Session,
    private readonly drainStart: number,
    atSeconds: number,
  ) {
    const delay = drainStart + atSeconds * 1_000 - performance.now();
    this.timer = setTimeout(() => (this.done = this.fire()), Math.max(0, delay));
  }

  /** Every poll of the drain, so that the rate can be read second by second. */
  record(at: number, consumed: bigint): void {
    this.samples.push({ at, consumed });
  }

  private async fire(): Promise<void> {
    const { session } = this;
    this.eventAt = performance.now();
    try {
      if (session.config.ledgers === 1) {
        session.log('rebalance: starting a second ledger');
        const ledger = await startLedger(session, 2);
        session.log(`rebalance: the second ledger is ready (pid ${ledger.pid})`);
      } else {
        await session.resources.stopService(SECOND_LEDGER);
      }
      this.processSeconds = (performance.now() - this.eventAt) / 1_000;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      session.log(`rebalance: ${this.error}`);
    }
  }

  /** After the drain: cancels the event if it had not come yet. */
  async figures(end: number): Promise<RebalanceFigures> {
    clearTimeout(this.timer);
    await this.done;
    const starting = this.session.config.ledgers === 1;
    const at = (seconds: number) => consumedAt(this.samples, seconds);
    const rate = (from: number, to: number) => Number(at(to) - at(from)) / ((to - from) / 1_000);
    const perSecond: number[] = [];
    for (let from = this.drainStart; from + 1_000 <= end; from += 1_000) {
      perSecond.push(Math.round(rate(from, from + 1_000)));
    }
    const base = {
      event: starting ? 'start a second ledger' : 'stop one of two ledgers (SIGTERM)',
      processSeconds: this.processSeconds === null ? null : round(this.processSeconds, 2),
      perSecond,
      definition: RECOVERY_DEFINITION,
      error: this.error ?? (this.eventAt === null ? 'the drain ended before the event' : null),
    } as const;
    if (this.eventAt === null) {
      const none = { baselineCommandsPerSecond: null, afterEvent: [], recoverySeconds: null };
      return { ...base, ...none, atSeconds: null, secondsBelowThreshold: 0 };
    }
    const baselineFrom = Math.max(this.drainStart, this.eventAt - BASELINE_SECONDS_MAX * 1_000);
    const baseline = this.eventAt > baselineFrom ? rate(baselineFrom, this.eventAt) : null;
    const afterEvent: number[] = [];
    for (let from = this.eventAt; from + 1_000 <= end; from += 1_000) {
      afterEvent.push(Math.round(rate(from, from + 1_000)));
    }
    return {
      ...base,
      atSeconds: round((this.eventAt - this.drainStart) / 1_000, 2),
      baselineCommandsPerSecond: baseline === null ? null : Math.round(baseline),
      afterEvent,
      ...recovery(afterEvent, baseline, this.processSeconds),
    };
  }
}

/** The seconds below the threshold before the recovery, and the recovery (see the definition). */
export function recovery(
  afterEvent: number[],
  baseline: number | null,
  processSeconds: number | null,
): Pick<RebalanceFigures, 'secondsBelowThreshold' | 'recoverySeconds'> {
  if (baseline === null) return { secondsBelowThreshold: 0, recoverySeconds: null };
  const threshold = baseline * RECOVERY_SHARE;
  const steadyFrom = (index: number) =>
    index + STEADY_SECONDS <= afterEvent.length &&
    afterEvent.slice(index, index + STEADY_SECONDS).every((value) => value >= threshold);
  let back = -1;
  for (let index = Math.ceil(processSeconds ?? 0); back < 0 && index < afterEvent.length; index++) {
    if (steadyFrom(index)) back = index;
  }
  const before = back < 0 ? afterEvent : afterEvent.slice(0, back);
  const below = before.filter((value) => value < threshold).length;
  return { secondsBelowThreshold: below, recoverySeconds: back < 0 ? null : back };
}

/** The consumed offsets at `at`, interpolated linearly between the two polls around it. */
function consumedAt(samples: PositionSample[], at: number): bigint {
  if (samples.length === 0) return 0n;
  let before = samples[0];
  for (const sample of samples) {
    if (sample.at >= at) {
      if (sample.at === before.at || before.at > at) return sample.consumed;
      const share = (at - before.at) / (sample.at - before.at);
      return (
        before.consumed + BigInt(Math.round(Number(sample.consumed - before.consumed) * share))
      );
    }
    before = sample;
  }
  return before.consumed;
}

/** The report's rows for the rebalance. */
export function rebalanceRows(figures: RebalanceFigures): Row[] {
  const orNa = (value: number | null, unit: string) =>
    value === null ? 'n/a' : `${number(value, 2)} ${unit}`;
  return [
    ['event', `${figures.event} at ${orNa(figures.atSeconds, 's')} into the drain`],
    ['process', `ready / exited ${orNa(figures.processSeconds, 's')} after the event`],
    ['baseline', orNa(figures.baselineCommandsPerSecond, 'commands/s (up to 5 s before)')],
    ['after event', `commands/s per second: ${figures.afterEvent.join(' ') || 'n/a'}`],
    [
      'recovery',
      `${orNa(figures.recoverySeconds, 's')} after the event (${figures.secondsBelowThreshold} ` +
        `s below ${RECOVERY_SHARE * 100}% of the baseline before it)`,
    ],
    ['definition', figures.definition],
    ...(figures.error ? ([['error', figures.error]] as Row[]) : []),
  ];
}
