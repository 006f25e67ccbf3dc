import { Cron } from 'croner';
import { shiftDay } from '@rtp/reconciler/domain';

/**
 * The daily run: at each tick of the cron expression (UTC) a run of yesterday is asked for, per
 * partner, under an id of the day (so several replicas ask once).
 */
export function scheduleRuns(
  expression: string,
  onTick: (date: string) => Promise<void>,
  log: (message: string, detail?: unknown) => void,
): Cron {
  return new Cron(expression, { timezone: 'UTC', protect: true }, async () => {
    const today = new Date().toISOString().slice(0, 10);
    await onTick(shiftDay(today, -1)).catch((error) => log('scheduled run request failed', error));
  });
}
