import { KafkaMessage } from 'kafkajs';
import { partitionBatch } from '@rtp/shared/kafka';
import {
  PROJECTION_GROUP,
  PROJECTION_TOPIC,
  useProjectionHarness,
} from '../support/gateway-projection';
import { deposit, opened } from '../support/gateway-projection-events';

jest.setTimeout(120_000);

describe('GatewayProjectionWorker against PostgreSQL, events it cannot read', () => {
  const harness = useProjectionHarness();

  describe('when a message is no event the projection can read', () => {
    const garbage = (offset: bigint): KafkaMessage =>
      ({
        key: Buffer.from('d'),
        value: Buffer.from('{not json'),
        timestamp: '0',
        attributes: 0,
        headers: {},
        offset: String(offset),
      }) as KafkaMessage;
    const positionOf = async (partition: number) =>
      (
        await harness.dataSource.query(
          `SELECT next_offset FROM gateway.consumer_offsets WHERE consumer_group = $3
         AND topic = $1 AND partition = $2`,
          [PROJECTION_TOPIC, partition, PROJECTION_GROUP],
        )
      )[0]?.next_offset;

    it('sends it to the dead-letter topic with the reason and its bytes, and projects the others', async () => {
      await harness.project([0, [opened('d')]]);
      const from = harness.offsets.get(0)!;
      const before = await positionOf(0);
      harness.sinkFails = true;
      const batch = partitionBatch(PROJECTION_TOPIC, 0, [garbage(from)], from);
      // Without the dead letter nothing moves: the position stays where it was.
      await expect(harness.worker.processMany([batch])).rejects.toThrow('broker unavailable');
      expect(await positionOf(0)).toBe(before);
      harness.sinkFails = false;
      await harness.worker.processMany([batch]);
      harness.offsets.set(0, from + 1n);
      expect(await positionOf(0)).toBe(String(from + 1n));
      expect(harness.deadLetters.map((letter) => [letter.topic, letter.messageId])).toEqual([
        ['gateway.projection.dlq.v1', `dead-letter:${PROJECTION_TOPIC}:0:${from}`],
      ]);
      const letter = JSON.parse(harness.deadLetters[0].value.toString('utf8'));
      expect(letter).toMatchObject({
        topic: PROJECTION_TOPIC,
        partition: 0,
        offset: String(from),
        value: Buffer.from('{not json').toString('base64'),
      });
      expect(letter.reason).toMatch(/json/i);
      // The partition goes on with the next event.
      await harness.project([0, [deposit('d', 2, 100)]]);
      const { accounts } = await harness.readModels();
      expect(accounts.find((account) => account.account_id === 'd')?.posted_minor).toBe('100');
    });
  });
});
