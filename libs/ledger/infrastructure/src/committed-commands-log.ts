import { PartitionBatch } from '@rtp/shared/kafka';
import { continueTrace } from '@rtp/shared/tracing';

/** Writes a line for one committed command; its trace id comes from the active trace context. */
export type CommittedCommandLog = (message: string, detail: Record<string, unknown>) => void;

const headerText = (value: Buffer | string | (Buffer | string)[] | undefined): string | null => {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
};

/**
 * One debug line per committed command, in the trace its `traceparent` header names, so that a
 * payment's trace can be followed through the ledger's log. Only called when debug logging is on:
 * the hot path pays nothing for it otherwise (the batch itself has no trace of its own).
 */
export function logCommittedCommands(batch: PartitionBatch, log: CommittedCommandLog): void {
  for (const message of batch.messages) {
    const traceparent = headerText(message.headers?.traceparent);
    continueTrace('ledger.command', traceparent, () =>
      log('ledger command committed', {
        partition: batch.partition,
        offset: message.offset,
        commandId: headerText(message.headers?.['ce-id']),
        commandType: headerText(message.headers?.['ce-type']),
      }),
    );
  }
}
