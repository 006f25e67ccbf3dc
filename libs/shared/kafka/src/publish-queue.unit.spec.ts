import { PublishQueue, PublishQueueFull } from './publish-queue';

/** A broker whose sends end when the test says so. */
function fakeSend() {
  const sends: { rows: readonly number[]; confirm: () => void; fail: (error: Error) => void }[] =
    [];
  const send = (rows: readonly number[]) =>
    new Promise<void>((resolve, reject) => {
      sends.push({ rows, confirm: resolve, fail: reject });
    });
  return { sends, send };
}
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('publishing committed rows, one send in flight', () => {
  it('sends the first rows at once and those given meanwhile together next, in order', async () => {
    const broker = fakeSend();
    const queue = new PublishQueue(broker.send, 100, () => undefined);
    const first = queue.publish([1, 2]);
    const second = queue.publish([3]);
    const third = queue.publish([4, 5]);
    expect(broker.sends.map((send) => send.rows)).toEqual([[1, 2]]);
    expect(queue.inHand()).toEqual([1, 2, 3, 4, 5]);
    broker.sends[0].confirm();
    await first;
    await settled();
    expect(broker.sends.map((send) => send.rows)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    broker.sends[1].confirm();
    await Promise.all([second, third]);
    expect(queue.inHand()).toEqual([]);
  });

  it('tells each part it is confirmed before its caller resumes', async () => {
    const broker = fakeSend();
    const queue = new PublishQueue(broker.send, 100, () => undefined);
    const confirmed: number[][] = [];
    const done = queue
      .publish([1], (rows) => confirmed.push([...rows]))
      .then(() => expect(confirmed).toEqual([[1]]));
    broker.sends[0].confirm();
    await done;
  });

  describe('when more rows would wait than the bound', () => {
    it('refuses them without sending and takes the next ones that fit', async () => {
      const broker = fakeSend();
      const queue = new PublishQueue(broker.send, 3, () => undefined);
      void queue.publish([1]);
      void queue.publish([2, 3]);
      await expect(queue.publish([4, 5])).rejects.toBeInstanceOf(PublishQueueFull);
      void queue.publish([6]);
      expect(queue.inHand()).toEqual([1, 2, 3, 6]);
    });
  });

  describe('when a send fails', () => {
    it('rejects its callers, reports it once, and sends what waits next', async () => {
      const broker = fakeSend();
      const failures: unknown[] = [];
      const queue = new PublishQueue(broker.send, 100, (error) => failures.push(error));
      const confirmed: number[] = [];
      const first = queue.publish([1], (rows) => confirmed.push(...rows));
      const second = queue.publish([2], (rows) => confirmed.push(...rows));
      broker.sends[0].fail(new Error('broker down'));
      await expect(first).rejects.toThrow('broker down');
      await settled();
      expect(broker.sends.map((send) => send.rows)).toEqual([[1], [2]]);
      broker.sends[1].confirm();
      await second;
      expect(confirmed).toEqual([2]);
      expect(failures).toHaveLength(1);
    });
  });
});
