import { DataSource } from 'typeorm';
import { OutgoingCommand } from '@rtp/gateway/application';
import { ResettableProducer } from '@rtp/shared/kafka';

/** A command committed to the outbox, to be published right after the commit. */
export interface CommittedCommand {
  outboxId: string;
  command: OutgoingCommand;
}

/** Rows waiting for the produce call in flight; beyond it, rows are left to the relay's sweep. */
const QUEUED_ROWS_MAX = 20_000;
/** How long confirmed rows may wait for a transaction to mark them before they get their own. */
const MARK_DELAY_MS_MAX = 200;

interface Send {
  rows: CommittedCommand[];
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

/**
 * Publishes commands right after the transaction that stored them commits. One produce call is in
 * flight at a time, and the commands committed meanwhile go together in the next one, in the order
 * their transactions committed. A confirmed row is marked published by the next transaction that
 * accepts payments (one more statement in it, no commit of its own), or on its own within
 * MARK_DELAY_MS_MAX when none comes. A row that is never confirmed stays unpublished in the outbox
 * for the relay's sweep; one published twice is harmless, the ledger dedupes by command id.
 */
export class CommittedPublisher {
  private sending = false;
  private next: Send | null = null;
  /** Outbox ids queued or being sent, and confirmed but not yet marked: the sweep leaves them. */
  private readonly inFlight = new Set<string>();
  private confirmed: string[] = [];
  private markTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: ResettableProducer,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves once the broker confirmed these rows; rejects when it did not (the sweep retries). */
  publish(rows: readonly CommittedCommand[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if ((this.next?.rows.length ?? 0) + rows.length > QUEUED_ROWS_MAX) {
      return Promise.reject(new Error('too many commands wait for the broker; the sweep has them'));
    }
    this.next ??= newSend();
    this.next.rows.push(...rows);
    for (const row of rows) this.inFlight.add(row.outboxId);
    const { done } = this.next;
    if (!this.sending) this.sendNext();
    return done;
  }

  /** Outbox ids this process publishes or has published but not yet marked. */
  knownIds(): string[] {
    return [...this.inFlight, ...this.confirmed];
  }

  /** Confirmed rows for the caller's transaction to mark; `returnMarks` if it fails. */
  takeMarks(): string[] {
    const marks = this.confirmed;
    this.confirmed = [];
    return marks;
  }

  returnMarks(outboxIds: readonly string[]): void {
    if (outboxIds.length === 0) return;
    this.confirmed.push(...outboxIds);
    this.scheduleMarks();
  }

  /** Marks what is confirmed in a statement of its own (when no transaction took it). */
  async writeMarks(): Promise<void> {
    const marks = this.takeMarks();
    if (marks.length === 0) return;
    try {
      await this.dataSource.query(
        'UPDATE gateway.outbox SET published_at = now() WHERE outbox_id = ANY($1::bigint[])',
        [marks]);
    } catch (error) {
      this.returnMarks(marks);
      throw error;
    }
  }

  stop(): void {
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
  }

  private sendNext(): void {
    const send = this.next;
    this.next = null;
    if (!send) return;
    this.sending = true;
    this.producer.publish(send.rows.map(({ outboxId, command }) => ({
      id: outboxId, topic: command.topic, key: command.key, messageId: command.messageId,
      messageType: command.messageType, value: Buffer.from(JSON.stringify(command.payload), 'utf8'),
    }))).then(() => {
      this.confirmed.push(...send.rows.map((row) => row.outboxId));
      this.scheduleMarks();
      send.settle();
    }, (error: unknown) => {
      this.onError(error);
      send.settle(error);
    }).finally(() => {
      for (const row of send.rows) this.inFlight.delete(row.outboxId);
      this.sending = false;
      this.sendNext();
    });
  }

  private scheduleMarks(): void {
    if (this.markTimer) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = null;
      this.writeMarks().catch(this.onError);
    }, MARK_DELAY_MS_MAX);
    this.markTimer.unref();
  }
}

function newSend(): Send {
  let settle: (error?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Waiting for the broker is optional for every caller: an unobserved failure is not a crash.
  done.catch(() => undefined);
  return { rows: [], done, settle };
}
