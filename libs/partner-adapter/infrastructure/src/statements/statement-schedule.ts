import { Cron } from 'croner';
import { StatementIngestion } from './statement-ingestion';

export interface StatementScheduleOptions {
  /** A cron expression (UTC), or `off`. */
  cron: string;
  /** How many days before the run's day the fetched statement is (1: yesterday's). */
  daysBack: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export function dayBefore(at: Date, days: number): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - days);
  return day.toISOString().slice(0, 10);
}

/**
 * Fetches the statement of a past day on a croner schedule. The request id is the day's
 * (`schedule:<date>`), recorded with the messages: two replicas, or a run after a restart, fetch
 * and publish a day once. A failed fetch is recorded and logged; an on-demand FetchStatement
 * (another request id) fetches the day again.
 */
export class StatementSchedule {
  private job: Cron | null = null;

  constructor(
    private readonly ingestion: StatementIngestion,
    private readonly options: StatementScheduleOptions,
  ) {}

  start(): void {
    if (this.options.cron === 'off') return;
    this.job = new Cron(this.options.cron, { timezone: 'UTC', protect: true }, () =>
      this.runFor(new Date()),
    );
  }

  async runFor(at: Date): Promise<void> {
    const date = dayBefore(at, this.options.daysBack);
    try {
      const fetched = await this.ingestion.fetchOnce({
        requestId: `schedule:${date}`,
        date,
        requestedBy: 'schedule',
        causationId: null,
      });
      if (fetched) {
        const level = fetched.outcome === 'published' ? 'info' : 'error';
        this.options.log(
          level,
          `statement of ${date}: ${fetched.outcome} (${fetched.entryCount} entries)` +
            (fetched.problem ? `: ${JSON.stringify(fetched.problem)}` : ''),
        );
      }
    } catch (error) {
      this.options.log('error', `statement of ${date} not fetched: ${(error as Error).message}`);
    }
  }

  stop(): void {
    this.job?.stop();
  }
}
