import { KafkaMessage } from 'kafkajs';
import { PartitionBatch, partitionBatch } from './batch-isolation';
import { GroupCommitFailed, GroupCommitter } from './group-commit';

const batch = (partition: number): PartitionBatch =>
  partitionBatch(
    't',
    partition,
    [
      {
        offset: '0',
        key: null,
        value: Buffer.from(`p${partition}`),
        timestamp: '0',
        attributes: 0,
        headers: {},
      } as KafkaMessage,
    ],
    0n,
  );
const fenced = (partitions: number[]) =>
  Object.assign(new Error('fenced'), { fencedPartitions: partitions });

describe("committing several partitions' batches in one transaction", () => {
  it('puts batches submitted together into one commit', async () => {
    const commits: number[][] = [];
    const committer = new GroupCommitter(async (batches) => {
      commits.push(batches.map((each) => each.partition));
    }, 10);
    await Promise.all([0, 1, 2].map((partition) => committer.submit(batch(partition))));
    expect(commits).toEqual([[0, 1, 2]]);
  });

  it('bounds a group by batchesMax', async () => {
    const commits: number[][] = [];
    const committer = new GroupCommitter(async (batches) => {
      commits.push(batches.map((each) => each.partition));
    }, 2);
    await Promise.all([0, 1, 2, 3, 4].map((partition) => committer.submit(batch(partition))));
    expect(commits).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('never puts two batches of one partition into one commit', async () => {
    const commits: number[][] = [];
    const committer = new GroupCommitter(
      async (batches) => {
        commits.push(batches.map((each) => each.partition));
      },
      10,
      1,
    );
    await Promise.all([0, 1, 0, 2, 1].map((partition) => committer.submit(batch(partition))));
    expect(commits).toEqual([
      [0, 1, 2],
      [0, 1],
    ]);
  });

  describe('when the group is fenced on one partition', () => {
    it('refuses that partition and commits the others at once on retry', async () => {
      const commits: number[][] = [];
      const committer = new GroupCommitter(async (batches) => {
        const partitions = batches.map((each) => each.partition);
        if (partitions.includes(1)) throw fenced([1]);
        commits.push(partitions);
      }, 10);
      const results = await Promise.allSettled(
        [0, 1, 2].map((partition) => committer.submit(batch(partition))),
      );
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(commits).toEqual([[0, 2]]);
    });
  });

  describe('when a group fails for another reason', () => {
    it('hands every batch back to be tried alone', async () => {
      const committer = new GroupCommitter(async () => {
        throw Object.assign(new Error('out of range'), { code: '22003' });
      }, 10);
      const results = await Promise.allSettled(
        [0, 1].map((partition) => committer.submit(batch(partition))),
      );
      for (const result of results) {
        expect(result.status === 'rejected' && result.reason instanceof GroupCommitFailed).toBe(
          true,
        );
      }
    });

    it('gives a batch alone its own error', async () => {
      const committer = new GroupCommitter(async () => {
        throw new Error('connection reset');
      }, 10);
      await expect(committer.submit(batch(0))).rejects.toThrow('connection reset');
    });
  });
});
