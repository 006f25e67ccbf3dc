import { PartitionHealth } from './partition-health';

describe("the health of a consumer group's partitions", () => {
  let now = 0;
  const health = () => new PartitionHealth(`group-${Math.random()}`, 30_000, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  describe('when a partition keeps failing', () => {
    it('is a problem only after the stall time, naming the partition, the count and the last reason', () => {
      const tracker = health();
      tracker.failed('ledger.commands.v1', 3, 'ECONNREFUSED');
      now += 29_000;
      expect(tracker.failed('ledger.commands.v1', 3, '22003: out of range')).toBe(2);
      expect(() => tracker.assertHealthy()).not.toThrow();
      now += 1_000;
      expect(() => tracker.assertHealthy()).toThrow(
        'ledger.commands.v1[3] failing for 30 s: 2 failures in a row, last: 22003: out of range',
      );
      tracker.dispose();
    });

    it('is healthy again as soon as the partition makes progress', () => {
      const tracker = health();
      tracker.failed('t', 0, 'x');
      now += 60_000;
      tracker.progressed('t', 0);
      expect(tracker.problems()).toEqual([]);
      tracker.dispose();
    });
  });

  it('reports a stopped partition at once, and a batch running longer than the stall time', () => {
    const tracker = health();
    tracker.stoppedAt('t', 1, 'stored position 5 is beyond the log end 3');
    tracker.batchStarted('t', 2);
    now += 31_000;
    expect(tracker.problems().map((problem) => [problem.partition, problem.cause])).toEqual([
      [1, 'position'],
      [2, 'slow'],
    ]);
    tracker.dispose();
  });

  it('reports a consumer that stays down for the stall time', () => {
    const tracker = health();
    tracker.consumerStopped('The coordinator is not aware of this member');
    now += 30_000;
    expect(() => tracker.assertHealthy()).toThrow(/not running: The coordinator is not aware/);
    tracker.consumerRunning();
    expect(() => tracker.assertHealthy()).not.toThrow();
    tracker.dispose();
  });
});
