import { OutboxMessage } from './outbox-publisher';
import { PublishQueue } from './publish-queue';
import { PublishedMarks } from './published-marks';

/** What a publication holds that a sweep must not publish again (see OutboxStore). */
export interface InHand<Row, Key> {
  /** Rows waiting for the broker or being sent. */
  rows: readonly Row[];
  /** Keys whose marks the broker confirmed and the store does not have yet. */
  marked: readonly Key[];
}

/** The service's side of its outbox, as the publication uses it. */
export interface OutboxStore<Row, Scope, Key, Mark> {
  /**
   * Rows of `scope` that the store says are unpublished, in publication order, at most `limit`,
   * and whether more follow. A store that other transactions write while this process publishes
   * skips the rows `inHand`; one whose scope has a single writer may ignore it.
   */
  findUnpublished(
    scope: Scope,
    limit: number,
    inHand: InHand<Row, Key>,
  ): Promise<{ rows: Row[]; more: boolean }>;
  /** Records marks in a statement of its own; recording one twice, or an older one, is harmless. */
  recordMarks(marks: ReadonlyMap<Key, Mark>): Promise<void>;
}

export interface OutboxPublicationOptions<Row, Scope, Key, Mark> {
  store: OutboxStore<Row, Scope, Key, Mark>;
  /** A ResettableProducer in services (idempotent, acks from all replicas). */
  producer: { publish(messages: readonly OutboxMessage[]): Promise<void> };
  messageOf: (row: Row) => OutboxMessage;
  /** The marks a confirmed send of these rows leaves; rows come in publication order. */
  marksOf: (rows: readonly Row[]) => Iterable<readonly [Key, Mark]>;
  /** Two marks of one key as one, in either order: the later of two positions, say. */
  mergeMarks: (one: Mark, other: Mark) => Mark;
  /** Rows that may wait for the send in flight; more are refused (the store keeps them). */
  queuedRowsMax: number;
  /** How long confirmed marks wait for a transaction to take them before being recorded alone. */
  recordDelayMsMax: number;
  /** The `limit` a sweep passes to findUnpublished for each page. */
  sweepPageLimit: number;
  /** A failed send, or a failed recording no caller waits for; both are retried. */
  onError: (error: unknown) => void;
}

/**
 * The way from a service's outbox to the broker: one mechanism for the ledger, the gateway and the
 * services after them (the partner adapter's and the reconciler's outboxes work the same way).
 *
 * - `publish(rows)` right after the transaction that wrote them commits: one send in flight at a
 *   time; rows committed meanwhile go together in the next send, in commit order, up to
 *   queuedRowsMax (beyond it publish refuses them and they wait in the store for the sweep).
 * - What the broker confirmed becomes a mark held in memory. The caller's next transaction takes
 *   the marks (`takeMarks`) and writes them on its way, with no commit of its own, and gives them
 *   back (`returnMarks`) when it fails. Marks no transaction takes are recorded on their own
 *   within recordDelayMsMax, on `recordMarks(keys)` (a partition released) and on `stop`.
 * - `sweep(scope)` publishes what the store says is unpublished, then records it: the rows a crash
 *   between commit and publish, or a broker outage, left behind.
 *
 * Delivery is at least once: rows sent and not yet recorded are sent again after a crash, and every
 * consumer dedupes by message id. A new service picks one of two kinds of mark:
 * - per row (the gateway): many transactions write the outbox at once, so no position covers a
 *   prefix of it; Key is the row id, the store sets a published flag per id, and its sweep takes
 *   rows old enough that no process is still publishing them, skipping those in hand;
 * - per partition (the ledger): one writer per partition, so the published prefix is a position;
 *   Key is the partition, Mark the last published position, recorded with GREATEST, and the sweep
 *   of a partition runs on acquiring it, before its first batch, so nothing newer goes first.
 */
export class OutboxPublication<Row, Scope, Key, Mark> {
  private readonly queue: PublishQueue<Row>;
  private readonly marks: PublishedMarks<Key, Mark>;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Recordings in flight, which `stop` waits for. */
  private readonly recordings = new Set<Promise<void>>();

  constructor(private readonly options: OutboxPublicationOptions<Row, Scope, Key, Mark>) {
    this.marks = new PublishedMarks(options.mergeMarks);
    this.queue = new PublishQueue(
      (rows) => options.producer.publish(rows.map(options.messageOf)),
      options.queuedRowsMax,
      options.onError,
    );
  }

  /** Resolves once the broker confirmed the rows (their marks are then held); rejects if not. */
  publish(rows: readonly Row[]): Promise<void> {
    return this.queue.publish(rows, (confirmed) => this.hold(this.options.marksOf(confirmed)));
  }

  /** Marks for the caller's transaction to write (of `keys`, or all); given back if it fails. */
  takeMarks(keys?: Iterable<Key>): Map<Key, Mark> {
    return this.marks.take(keys);
  }

  returnMarks(marks: Iterable<readonly [Key, Mark]>): void {
    this.hold(marks);
  }

  inHand(): InHand<Row, Key> {
    return { rows: this.queue.inHand(), marked: this.marks.keys() };
  }

  /** Records the marks of `keys` (or all) in a statement of their own; kept when it fails. */
  async recordMarks(keys?: Iterable<Key>): Promise<void> {
    const marks = this.marks.take(keys);
    if (marks.size > 0) await this.record(marks);
  }

  /** Publishes, page by page, what the store says is unpublished in `scope`, then records it. */
  async sweep(scope: Scope): Promise<void> {
    for (;;) {
      const { rows, more } = await this.options.store.findUnpublished(
        scope,
        this.options.sweepPageLimit,
        this.inHand(),
      );
      if (rows.length > 0) {
        await this.queue.publish(rows);
        const page = new PublishedMarks<Key, Mark>(this.options.mergeMarks);
        page.add(this.options.marksOf(rows));
        await this.record(page.take());
      }
      if (!more) return;
    }
  }

  /** No more timer; what is confirmed is recorded now, so a restart does not publish it again. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A recording in flight that fails gives its marks back before this records what is held.
    await Promise.allSettled([...this.recordings]);
    await this.recordMarks();
  }

  /** Records marks in a statement of their own; they are held again when it fails. */
  private async record(marks: ReadonlyMap<Key, Mark>): Promise<void> {
    const recording = this.options.store.recordMarks(marks);
    this.recordings.add(recording);
    try {
      await recording;
    } catch (error) {
      this.hold(marks);
      throw error;
    } finally {
      this.recordings.delete(recording);
    }
  }

  private hold(marks: Iterable<readonly [Key, Mark]>): void {
    this.marks.add(marks);
    if (this.timer || this.stopped || this.marks.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.recordMarks().catch(this.options.onError);
    }, this.options.recordDelayMsMax);
    this.timer.unref();
  }
}
