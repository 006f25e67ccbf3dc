import { Gauge } from 'prom-client';

/** What an outbox holds unpublished: rows and the age of the oldest. */
export interface OutboxBacklog {
  messages: number;
  oldestSeconds: number;
}

export type OutboxBacklogReader = () => Promise<OutboxBacklog>;

/** Rows counted at most (a bounded read however large an outage made the backlog). */
export const OUTBOX_BACKLOG_COUNTED_MAX = 100_000;
/** One read serves both gauges of a scrape. */
const READ_REUSE_MS = 1_000;

const readers = new Map<string, OutboxBacklogReader>();
let lastRead: { at: number; backlog: Promise<OutboxBacklog[]> } | null = null;

function readAll(): Promise<OutboxBacklog[]> {
  const now = Date.now();
  if (lastRead && now - lastRead.at < READ_REUSE_MS) return lastRead.backlog;
  // A reader that fails (its database is away) is left out of this scrape rather than failing it.
  const backlog = Promise.all([...readers.values()].map((read) => read().catch(() => null))).then(
    (all) => all.filter((each): each is OutboxBacklog => each !== null),
  );
  lastRead = { at: now, backlog };
  return backlog;
}

async function collectInto(
  gauge: Gauge,
  pick: (backlog: OutboxBacklog) => number,
  combine: (a: number, b: number) => number,
): Promise<void> {
  gauge.reset();
  const all = await readAll();
  if (all.length === 0) return;
  gauge.set(all.map(pick).reduce(combine, 0));
}

const backlogGauge: Gauge = new Gauge({
  name: 'outbox_backlog_messages',
  help: `Outbox rows not yet published (counted up to ${OUTBOX_BACKLOG_COUNTED_MAX}), read on scrape`,
  async collect() {
    await collectInto(
      backlogGauge,
      (backlog) => backlog.messages,
      (a, b) => a + b,
    );
  },
});

const oldestGauge: Gauge = new Gauge({
  name: 'outbox_oldest_unpublished_seconds',
  help: 'Age of the oldest outbox row not yet published (0 when none), read on scrape',
  async collect() {
    await collectInto(oldestGauge, (backlog) => backlog.oldestSeconds, Math.max);
  },
});

/**
 * Exports an outbox's backlog under `name` (the service's one outbox; a later registration of the
 * same name replaces it). The `service` label is the registry's default label.
 */
export function exportOutboxBacklog(name: string, read: OutboxBacklogReader): void {
  readers.set(name, read);
  lastRead = null;
}

/**
 * The backlog of a row outbox (published_at null until published), read through its partial index
 * on unpublished rows: the oldest by the first id, the count bounded.
 */
export function rowOutboxBacklog(
  table: string,
  query: (sql: string, parameters: unknown[]) => Promise<unknown>,
): OutboxBacklogReader {
  return async () => {
    const rows = (await query(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE published_at IS NULL
                 LIMIT $1) AS unpublished) AS messages,
              COALESCE((SELECT extract(epoch FROM now() - created_at) FROM ${table}
                 WHERE published_at IS NULL ORDER BY outbox_id LIMIT 1), 0) AS oldest_seconds`,
      [OUTBOX_BACKLOG_COUNTED_MAX],
    )) as { messages: string; oldest_seconds: string }[];
    return {
      messages: Number(rows[0].messages),
      oldestSeconds: Math.max(0, Number(rows[0].oldest_seconds)),
    };
  };
}
