import { Producer } from 'kafkajs';
import { OutboxMessage, publishOutbox } from './outbox-publisher';

/**
 * An idempotent producer that is replaced after a failed send. A failed request can leave the
 * producer's sequence numbers out of step with the broker (OUT_OF_ORDER_SEQUENCE_NUMBER on every later
 * send); a new producer gets a new producer id and starts clean. Rows not confirmed are published
 * again from the outbox, and consumers dedupe by message id.
 */
export class ResettableProducer {
  private current: Promise<Producer> | null = null;

  constructor(private readonly create: () => Producer) {}

  get(): Promise<Producer> {
    this.current ??= (async () => {
      const producer = this.create();
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.current = null;
      throw error;
    });
    return this.current;
  }

  async publish(messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.get();
    try {
      await publishOutbox(producer, messages);
    } catch (error) {
      await this.reset(producer);
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current) await (await current.catch(() => null))?.disconnect();
  }

  private async reset(failed: Producer): Promise<void> {
    const current = this.current ? await this.current.catch(() => null) : null;
    if (current === failed) this.current = null;
    await failed.disconnect().catch(() => undefined);
  }
}
