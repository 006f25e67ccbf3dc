import { KafkaMessage } from 'kafkajs';
import { PartitionBatch, applyIsolating, partitionBatch } from './batch-isolation';

const message = (offset: number): KafkaMessage =>
  ({
    offset: String(offset),
    key: null,
    value: Buffer.from(`m${offset}`),
    timestamp: '0',
    attributes: 0,
    headers: {},
  }) as KafkaMessage;
const permanent = Object.assign(new Error('value out of range'), { code: '22003' });

/** Applies batches like a store: fails whole when a bad offset is inside, commits offsets in order. */
function store(bad: Set<number>, transientOnce = false) {
  const committed: [bigint, bigint][] = [];
  const isolated: number[] = [];
  let failedTransiently = false;
  const offsets = (batch: PartitionBatch) => batch.messages.map((m) => Number(m.offset));
  return {
    committed,
    isolated,
    steps: {
      apply: async (batch: PartitionBatch) => {
        if (transientOnce && !failedTransiently) {
          failedTransiently = true;
          throw Object.assign(new Error('connection reset'), { code: '08006' });
        }
        if (offsets(batch).some((offset) => bad.has(offset))) throw permanent;
        committed.push([batch.fromOffset, batch.toOffset]);
      },
      isolate: async (batch: PartitionBatch) => {
        isolated.push(...offsets(batch));
        committed.push([batch.fromOffset, batch.toOffset]);
      },
      isPermanent: (error: unknown) => (error as { code?: string }).code === '22003',
    },
  };
}

describe('a batch that fails permanently', () => {
  const batch = partitionBatch('t', 0, [10, 11, 12, 13, 14, 15, 16].map(message), 10n);

  it('is split until the bad messages stand alone; the rest commit in order with contiguous offsets', async () => {
    const fake = store(new Set([12, 15]));
    await applyIsolating(batch, fake.steps);
    expect(fake.isolated).toEqual([12, 15]);
    const ranges = fake.committed;
    expect(ranges[0][0]).toBe(10n);
    expect(ranges[ranges.length - 1][1]).toBe(17n);
    for (let index = 1; index < ranges.length; index += 1)
      expect(ranges[index][0]).toBe(ranges[index - 1][1]);
  });

  it('commits whole when nothing in it is bad', async () => {
    const fake = store(new Set());
    await applyIsolating(batch, fake.steps);
    expect(fake.committed).toEqual([[10n, 17n]]);
  });

  it('is rethrown whole for a transient failure, isolating nothing', async () => {
    const fake = store(new Set([12]), true);
    await expect(applyIsolating(batch, fake.steps)).rejects.toThrow('connection reset');
    expect(fake.isolated).toEqual([]);
    expect(fake.committed).toEqual([]);
  });
});
