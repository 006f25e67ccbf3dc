/** More rows would wait for the broker than the queue holds: they stay in the store. */
export class PublishQueueFull extends Error {
  constructor(queuedRowsMax: number) {
    super(`more than ${queuedRowsMax} outbox rows wait for the broker; the store keeps them`);
    this.name = 'PublishQueueFull';
  }
}

interface Part<Row> {
  rows: readonly Row[];
  /** Called once the broker confirmed the part, before any caller of its send resumes. */
  confirmed: ((rows: readonly Row[]) => void) | null;
}

interface Send<Row> {
  parts: Part<Row>[];
  rowCount: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends rows in the order they were given, one send in flight at a time: the rows given while it is
 * in flight wait, at most `queuedRowsMax` of them, and go together in the next send. The order
 * holds because a send starts only after the previous one ended, whatever its outcome.
 */
export class PublishQueue<Row> {
  private sending: Send<Row> | null = null;
  private next: Send<Row> | null = null;

  constructor(
    private readonly send: (rows: readonly Row[]) => Promise<void>,
    private readonly queuedRowsMax: number,
    private readonly onSendFailed: (error: unknown) => void,
  ) {}

  /**
   * Resolves once the broker confirmed the rows; rejects when it did not, or with PublishQueueFull
   * without sending anything when too many rows wait already.
   */
  publish(rows: readonly Row[], confirmed: Part<Row>['confirmed'] = null): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if ((this.next?.rowCount ?? 0) + rows.length > this.queuedRowsMax) {
      return Promise.reject(new PublishQueueFull(this.queuedRowsMax));
    }
    this.next ??= newSend();
    this.next.parts.push({ rows, confirmed });
    this.next.rowCount += rows.length;
    const { done } = this.next;
    if (!this.sending) this.sendNext();
    return done;
  }

  /** Rows waiting or being sent, in order. */
  inHand(): Row[] {
    return [this.sending, this.next].flatMap(
      (send) => send?.parts.flatMap((part) => part.rows) ?? [],
    );
  }

  private sendNext(): void {
    const send = this.next;
    this.next = null;
    this.sending = send;
    if (!send) return;
    this.send(send.parts.flatMap((part) => part.rows))
      .then(
        () => {
          for (const part of send.parts) part.confirmed?.(part.rows);
          send.resolve();
        },
        (error: unknown) => {
          this.onSendFailed(error);
          send.reject(error);
        },
      )
      .finally(() => this.sendNext());
  }
}

function newSend<Row>(): Send<Row> {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolveDone, rejectDone) => {
    resolve = resolveDone;
    reject = rejectDone;
  });
  // Waiting for the broker is optional for every caller: an unobserved failure is not a crash.
  done.catch(() => undefined);
  return { parts: [], rowCount: 0, done, resolve, reject };
}
