import { RequestWindow, RequestWindowFull, RequestWindowOptions, Settled } from './request-window';

const OPTIONS: RequestWindowOptions = {
  windowMs: 2,
  requestsMax: 3,
  groupsInFlightMax: 1,
  queuedMax: 6,
};

/** A run that records its groups and settles each request as its value doubled, when released. */
function recordingRun() {
  const groups: number[][] = [];
  const releases: (() => void)[] = [];
  const run = (group: readonly number[]) =>
    new Promise<Settled<number>[]>((resolve) => {
      groups.push([...group]);
      releases.push(() => resolve(group.map((value) => ({ ok: true, value: value * 2 }))));
    });
  return { groups, releases, run };
}

describe('RequestWindow', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  describe('when fewer requests than the maximum arrive', () => {
    it('runs them as one group once the first has waited the window', async () => {
      const { groups, releases, run } = recordingRun();
      const window = new RequestWindow(run, OPTIONS);
      const answers = [window.submit(1), window.submit(2)];
      jest.advanceTimersByTime(1);
      expect(groups).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(groups).toEqual([[1, 2]]);
      releases[0]();
      await expect(Promise.all(answers)).resolves.toEqual([2, 4]);
    });
  });

  describe('when the maximum count arrives within the window', () => {
    it('runs the group at once, and the rest in the next window', () => {
      const { groups, releases, run } = recordingRun();
      const window = new RequestWindow(run, { ...OPTIONS, groupsInFlightMax: 2 });
      for (const value of [1, 2, 3, 4]) void window.submit(value);
      expect(groups).toEqual([[1, 2, 3]]);
      jest.advanceTimersByTime(2);
      expect(groups).toEqual([[1, 2, 3], [4]]);
      releases.forEach((release) => release());
    });
  });

  describe('when every slot is taken', () => {
    it('keeps filling the next group until a slot frees', async () => {
      const { groups, releases, run } = recordingRun();
      const window = new RequestWindow(run, OPTIONS);
      const first = window.submit(1);
      jest.advanceTimersByTime(2);
      const later = [window.submit(2), window.submit(3)];
      jest.advanceTimersByTime(10);
      expect(groups).toEqual([[1]]);
      releases[0]();
      await first;
      expect(groups).toEqual([[1], [2, 3]]);
      releases[1]();
      await expect(Promise.all(later)).resolves.toEqual([4, 6]);
    });

    it('refuses a request beyond the queue bound at once', async () => {
      const { run } = recordingRun();
      const window = new RequestWindow(run, OPTIONS);
      for (const value of [1, 2, 3, 4, 5, 6, 7, 8, 9]) void window.submit(value);
      await expect(window.submit(10)).rejects.toBeInstanceOf(RequestWindowFull);
    });
  });

  describe('when one request of a group fails', () => {
    it('answers the others with their own outcomes', async () => {
      const refused = new Error('refused');
      const window = new RequestWindow<number, number>(
        async (group) =>
          group.map((value) => (value === 2 ? { ok: false, error: refused } : { ok: true, value })),
        OPTIONS,
      );
      const answers = [1, 2, 3].map((value) => window.submit(value));
      await expect(answers[0]).resolves.toBe(1);
      await expect(answers[1]).rejects.toBe(refused);
      await expect(answers[2]).resolves.toBe(3);
    });
  });

  describe('when the group as a whole fails', () => {
    it('fails every request of the group with the same error', async () => {
      const down = new Error('database down');
      const window = new RequestWindow<number, number>(() => Promise.reject(down), OPTIONS);
      const answers = [1, 2, 3].map((value) => window.submit(value).catch((error) => error));
      await expect(Promise.all(answers)).resolves.toEqual([down, down, down]);
    });

    it('runs the next group afterwards', async () => {
      let calls = 0;
      const window = new RequestWindow<number, number>(async (group) => {
        calls += 1;
        if (calls === 1) throw new Error('database down');
        return group.map((value) => ({ ok: true, value }));
      }, OPTIONS);
      const failed = [1, 2, 3].map((value) => window.submit(value).catch(() => 'failed'));
      await Promise.all(failed);
      const next = window.submit(4);
      jest.advanceTimersByTime(2);
      await expect(next).resolves.toBe(4);
    });
  });

  it('refuses options that could never run a group', () => {
    const { run } = recordingRun();
    expect(() => new RequestWindow(run, { ...OPTIONS, requestsMax: 0 })).toThrow(/invalid/);
    expect(() => new RequestWindow(run, { ...OPTIONS, queuedMax: 2 })).toThrow(/invalid/);
  });
});
